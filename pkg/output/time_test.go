package output

import (
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestTimesInOrganizationZone(t *testing.T) {
	loc := chicago(t)
	tests := []struct {
		name               string
		utc                time.Time
		wantCSV, wantHuman string
	}{
		{"winter CST", time.Date(2026, 3, 7, 15, 0, 0, 0, time.UTC), "2026-03-07T09:00:00-06:00", "2026-03-07 09:00 CST"},
		{"summer CDT", time.Date(2026, 3, 28, 14, 0, 0, 0, time.UTC), "2026-03-28T09:00:00-05:00", "2026-03-28 09:00 CDT"},
		{"previous day west of UTC", time.Date(2026, 11, 2, 3, 30, 0, 0, time.UTC), "2026-11-01T21:30:00-06:00", "2026-11-01 21:30 CST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			row := billedRow(1)
			row.BilledAt = &tc.utc
			row.WorkedDate = "2026-03-01" // a date is never shifted, whatever the zone
			rows := []api.BilledHoursRow{row}
			cols := []string{"worked_date", "billed_at"}
			for _, f := range []Format{FormatCSV, FormatTSV} {
				sep := map[Format]string{FormatCSV: ",", FormatTSV: "\t"}[f]
				out := render(t, BilledHours, Options{Format: f, Location: loc, Columns: cols, NoHeaders: true}, rows)
				if want := "2026-03-01" + sep + tc.wantCSV + "\n"; out != want {
					t.Errorf("%s: got %q, want %q", f, out, want)
				}
			}
			out := render(t, BilledHours, Options{Format: FormatTable, Location: loc, Columns: cols, NoHeaders: true}, rows)
			if want := "2026-03-01  " + tc.wantHuman + "\n"; out != want {
				t.Errorf("table: got %q, want %q", out, want)
			}
			view := renderView(t, BilledHours, Options{Format: FormatTable, Location: loc, Columns: cols}, row)
			if !strings.Contains(view, "billed_at:   "+tc.wantHuman) || !strings.Contains(view, "worked_date: 2026-03-01") {
				t.Errorf("view: got %q", view)
			}
		})
	}
}

func TestNilLocationIsUTC(t *testing.T) {
	out := render(t, BilledHours, Options{Format: FormatCSV, Columns: []string{"billed_at"}, NoHeaders: true},
		[]api.BilledHoursRow{billedRow(1)})
	if out != "2026-03-02T15:04:05Z\n" {
		t.Errorf("got %q", out)
	}
}

func TestDecimalsAndBools(t *testing.T) {
	row := billedRow(1)
	row.HoursWorked = api.NewDecimal(3, 0)
	row.Amount = ptr(api.Decimal(-5)) // -0.05
	tok := api.Token{ID: 1, Name: "ci", Current: true}
	tests := []struct {
		name, got, want string
	}{
		{"csv decimals", render(t, BilledHours, Options{Format: FormatCSV, NoHeaders: true, Columns: []string{"hours_worked", "amount", "rate"}}, []api.BilledHoursRow{row}), "3.00,-0.05,150.00\n"},
		{"json decimals", render(t, BilledHours, Options{Format: FormatNDJSON, Columns: []string{"hours_worked", "amount"}}, []api.BilledHoursRow{row}), `{"hours_worked":3.00,"amount":-0.05}` + "\n"},
		{"tsv bool and nulls", render(t, Tokens, Options{Format: FormatTSV, NoHeaders: true}, []api.Token{tok}), "1\tci\t0001-01-01T00:00:00Z\t\t\ttrue\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
