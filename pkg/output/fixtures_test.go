package output

import (
	"bytes"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

func ptr[T any](v T) *T { return &v }

// chicago is the zone of the sample organization; it changes offset on
// 2026-03-08 (CST -06:00 → CDT -05:00).
func chicago(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

// billedRow is an export row with every optional field set.
func billedRow(id int64) api.BilledHoursRow {
	return api.BilledHoursRow{
		ID: id, ClientID: 7, ClientName: "Acme, Inc.", ProjectID: ptr(int64(12)), ProjectNumber: ptr("P-0012"),
		ProjectName: ptr("Website relaunch"), TaskID: ptr(int64(99)), TaskNumber: ptr("T-0099"),
		TaskTitle: ptr("Design review"), Resource: ptr("Dana Smith"),
		WorkedDate: "2026-03-01", HoursWorked: api.NewDecimal(1, 50), HoursBilled: api.NewDecimal(1, 25),
		Rate: ptr(api.NewDecimal(150, 0)), Amount: ptr(api.NewDecimal(187, 50)),
		Description: "Reviewed mock-ups", BilledAt: ptr(time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC)),
	}
}

// render writes rows with opts and returns what a user would see.
func render[T any](t *testing.T, m *Model[T], opts Options, rows []T) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSlice(&b, m, opts, rows); err != nil {
		t.Fatalf("WriteSlice: %v", err)
	}
	return b.String()
}

func renderView[T any](t *testing.T, m *Model[T], opts Options, rec T) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteView(&b, m, opts, rec); err != nil {
		t.Fatalf("WriteView: %v", err)
	}
	return b.String()
}

var ttyModes = []struct {
	name string
	tty  bool
}{{"tty", true}, {"piped", false}}
