package sqlstore

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/portalctl/portalctl/pkg/api"
)

// The stream's scan targets give what nullDate and nullTime (the scans
// every other query uses) give, from either driver's values, also when a
// value repeats (they reuse the last one).
func TestBilledScanTargets(t *testing.T) {
	day := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.FixedZone("EST", -5*3600))
	var d dateCol
	var tc timeCol
	dates := []struct {
		scan func() error
		want api.Date
	}{
		{func() error { return d.Scan("2026-02-03") }, "2026-02-03"},
		{func() error { return d.ScanDate(pgtype.Date{Time: day, Valid: true}) }, "2026-02-03"},
		{func() error { return d.ScanDate(pgtype.Date{Time: day, Valid: true}) }, "2026-02-03"},
		{func() error { return d.ScanDate(pgtype.Date{Time: day.AddDate(0, 0, 1), Valid: true}) }, "2026-02-04"},
		{func() error { return d.ScanDate(pgtype.Date{InfinityModifier: pgtype.Infinity, Valid: true}) }, "infinity"},
		{func() error { return d.ScanDate(pgtype.Date{Time: day.AddDate(0, 0, 1), Valid: true}) }, "2026-02-04"},
		{func() error { return d.ScanDate(pgtype.Date{}) }, ""},
		{func() error { return d.Scan(nil) }, ""},
	}
	for i, tt := range dates {
		if err := tt.scan(); err != nil || d.d != tt.want {
			t.Errorf("date %d: %q %v, want %q", i, d.d, err, tt.want)
		}
	}
	times := []struct {
		scan func() error
		want *time.Time
	}{
		{func() error { return tc.Scan("2026-02-04T23:00:00Z") }, ptr(at.UTC())},
		{func() error { return tc.Scan("2026-02-04T23:00:00Z") }, ptr(at.UTC())},
		{func() error { return tc.Scan("2026-02-04T23:00:01Z") }, ptr(at.UTC().Add(time.Second))},
		{func() error { return tc.Scan(nil) }, nil},
		{func() error { return tc.ScanTimestamptz(pgtype.Timestamptz{Time: at, Valid: true}) }, ptr(at.UTC())},
		{func() error { return tc.ScanTimestamptz(pgtype.Timestamptz{Time: at, Valid: true}) }, ptr(at.UTC())},
		{func() error {
			return tc.ScanTimestamptz(pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true})
		}, &time.Time{}},
		{func() error { return tc.ScanTimestamptz(pgtype.Timestamptz{}) }, nil},
	}
	for i, tt := range times {
		err := tt.scan()
		if err != nil || (tc.t == nil) != (tt.want == nil) || tc.t != nil && (!tc.t.Equal(*tt.want) || tc.t.Location() != time.UTC) {
			t.Errorf("time %d: %v %v, want %v", i, tc.t, err, tt.want)
		}
	}
	var n nullInt64Col
	var c int64Col
	if n.Scan(int64(7)); !n.Valid || n.Int64 != 7 {
		t.Errorf("nullable int: %+v", n)
	}
	if n.ScanInt64(pgtype.Int8{}); n.Valid {
		t.Errorf("NULL int: %+v", n)
	}
	if err := c.Scan(nil); err == nil {
		t.Error("NULL into a NOT NULL integer must fail")
	}
	if err := c.Scan("12"); err != nil || c != 12 {
		t.Errorf("text integer: %v %v", c, err)
	}
}

func ptr[T any](v T) *T { return &v }
