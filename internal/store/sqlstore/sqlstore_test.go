package sqlstore

import (
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ?", "a = $1"},
		{"(a, b) > (?, ?) AND c IN (?,?,?) LIMIT ?", "(a, b) > ($1, $2) AND c IN ($3,$4,$5) LIMIT $6"},
		{"?", "$1"},
	}
	for _, tt := range tests {
		if got := Rebind(tt.in); got != tt.want {
			t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestScanTimesAndDates: both drivers' representations scan to the same values.
func TestScanTimesAndDates(t *testing.T) {
	want := time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)
	berlin := time.FixedZone("CET", 3600)
	for _, v := range []any{"2026-01-05T15:00:00Z", []byte("2026-01-05T15:00:00Z"), want, want.In(berlin)} {
		var n nullTime
		if err := n.Scan(v); err != nil || n.t == nil || !n.t.Equal(want) || n.t.Location() != time.UTC {
			t.Errorf("time from %T %v: %v %v", v, v, n.t, err)
		}
	}
	for _, v := range []any{"2026-01-05", []byte("2026-01-05"), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)} {
		var d nullDate
		if err := d.Scan(v); err != nil || d.value() != api.Date("2026-01-05") {
			t.Errorf("date from %T %v: %v %v", v, v, d.d, err)
		}
	}
	n, d := nullTime{t: &want}, nullDate{d: new(api.Date)}
	if n.Scan(nil) != nil || n.t != nil || d.Scan(nil) != nil || d.d != nil {
		t.Errorf("NULL must scan to nil: %v %v", n.t, d.d)
	}
	if err := n.Scan(42); err == nil {
		t.Error("an integer is not a timestamp")
	}
}
