package output

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

func parseCSV(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("output is not valid CSV: %v\n%s", err, s)
	}
	return recs
}

func TestCSVRoundTrip(t *testing.T) {
	tricky := []struct {
		name, desc, want string
	}{
		{"comma", "a, b", "a, b"},
		{"quotes", `say "hi"`, `say "hi"`},
		{"newline", "line1\nline2", "line1\nline2"},
		{"unicode", "Zoë — 日本語 ✓", "Zoë — 日本語 ✓"},
		{"formula equals", "=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"formula plus", "+1+2", "'+1+2"},
		{"formula minus", "-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"},
		{"formula at", "@SUM(A1)", "'@SUM(A1)"},
		{"formula tab", "\tx", "'\tx"},
		{"formula cr", "\rx", "'\rx"},
		{"empty", "", ""},
	}
	for _, tc := range tricky {
		for _, mode := range ttyModes {
			t.Run(tc.name+"/"+mode.name, func(t *testing.T) {
				row := billedRow(1)
				row.Description = tc.desc
				row.HoursWorked = api.NewDecimal(0, -50) // a negative number is not a formula
				out := render(t, BilledHours, Options{Format: FormatCSV, IsTTY: mode.tty}, []api.BilledHoursRow{row})
				recs := parseCSV(t, out)
				if len(recs) != 2 {
					t.Fatalf("got %d records, want header + 1", len(recs))
				}
				got := map[string]string{}
				for i, k := range recs[0] {
					got[k] = recs[1][i]
				}
				if got["description"] != tc.want {
					t.Errorf("description = %q, want %q", got["description"], tc.want)
				}
				if got["hours_worked"] != "-0.50" {
					t.Errorf("hours_worked = %q, want -0.50 (numbers are never neutralised)", got["hours_worked"])
				}
				if got["client_name"] != "Acme, Inc." || got["amount"] != "187.50" || got["task_id"] != "99" {
					t.Errorf("unexpected cells: %v", got)
				}
			})
		}
	}
}

func TestCSVRawKeepsFormulas(t *testing.T) {
	row := billedRow(1)
	row.Description = "=1+1"
	out := render(t, BilledHours, Options{Format: FormatCSV, CSVRaw: true, Columns: []string{"description"}}, []api.BilledHoursRow{row})
	if recs := parseCSV(t, out); recs[1][0] != "=1+1" {
		t.Errorf("with CSVRaw got %q, want the formula untouched", recs[1][0])
	}
}

func TestCSVHeadersAndNulls(t *testing.T) {
	row := billedRow(5)
	row.TaskID, row.Rate, row.BilledAt = nil, nil, nil
	tests := []struct {
		name      string
		noHeaders bool
		wantRecs  int
	}{{"with header", false, 2}, {"no headers", true, 1}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, BilledHours, Options{Format: FormatCSV, NoHeaders: tc.noHeaders,
				Columns: []string{"id", "task_id", "rate", "billed_at"}}, []api.BilledHoursRow{row})
			recs := parseCSV(t, out)
			if len(recs) != tc.wantRecs {
				t.Fatalf("got %d records, want %d", len(recs), tc.wantRecs)
			}
			if !tc.noHeaders && strings.Join(recs[0], ",") != "id,task_id,rate,billed_at" {
				t.Errorf("header = %v", recs[0])
			}
			if last := recs[len(recs)-1]; strings.Join(last, ",") != "5,,," {
				t.Errorf("row = %q, want nulls empty", last)
			}
		})
	}
}

func TestCSVCarriesAllColumnsByDefault(t *testing.T) {
	out := render(t, BilledHours, Options{Format: FormatCSV}, []api.BilledHoursRow{billedRow(1)})
	if got, want := strings.Join(parseCSV(t, out)[0], ","), strings.Join(BilledHours.Keys(), ","); got != want {
		t.Errorf("header = %s, want every column %s", got, want)
	}
}

func TestCSVEmptyList(t *testing.T) {
	out := render(t, BilledHours, Options{Format: FormatCSV, Columns: []string{"id", "amount"}}, nil)
	if out != "id,amount\n" {
		t.Errorf("got %q, want just the header", out)
	}
}
