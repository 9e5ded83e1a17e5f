package output

import (
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestTSVEscapesSoRowsStayOneLine(t *testing.T) {
	tests := []struct{ desc, want string }{
		{"plain", "plain"},
		{"tab\there", `tab\there`},
		{"two\nlines", `two\nlines`},
		{"crlf\r\nend", `crlf\r\nend`},
		{`back\slash`, `back\\slash`},
		{"Zoë ✓", "Zoë ✓"},
		{"=1+1", "=1+1"}, // the formula guard is for CSV (spreadsheets) only
	}
	for _, tc := range tests {
		for _, mode := range ttyModes {
			t.Run(tc.want+"/"+mode.name, func(t *testing.T) {
				row := billedRow(3)
				row.Description = tc.desc
				out := render(t, BilledHours, Options{Format: FormatTSV, IsTTY: mode.tty,
					Columns: []string{"id", "description", "hours_billed"}}, []api.BilledHoursRow{row})
				want := "id\tdescription\thours_billed\n3\t" + tc.want + "\t1.25\n"
				if out != want {
					t.Errorf("got %q, want %q", out, want)
				}
			})
		}
	}
}

func TestTSVDefaultColumnsMatchTable(t *testing.T) {
	out := render(t, Tasks, Options{Format: FormatTSV, NoHeaders: true}, []api.Task{{ID: 4, Number: "T-4",
		Title: "Fix login", Status: "new", ProjectNumber: "P-1", DueDate: ptr(api.Date("2026-04-01"))}})
	if want := "4\tT-4\tFix login\tnew\t\tP-1\t\t2026-04-01\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestTSVHeaderUsesKeys(t *testing.T) {
	out := render(t, EndClients, Options{Format: FormatTSV}, []api.EndClient{{ID: 1, Name: "Acme"}})
	if first := strings.SplitN(out, "\n", 2)[0]; first != "id\tname" {
		t.Errorf("header = %q", first)
	}
}
