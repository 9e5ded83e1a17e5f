package output

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestJQ(t *testing.T) {
	rows := []api.BilledHoursRow{billedRow(1), billedRow(2)}
	rows[1].Description = "Second"
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"strings raw like gh and jq -r", Options{JQ: ".[].description"}, "Reviewed mock-ups\nSecond\n"},
		{"null is an empty line like gh", Options{JQ: ".[0].rate, .[0].id", Columns: []string{"id"}}, "\n1\n"},
		{"strings inside arrays stay JSON", Options{JQ: "[.[].description]"}, `["Reviewed mock-ups","Second"]` + "\n"},
		{"numbers", Options{JQ: "map(.id) | add"}, "3\n"},
		{"decimals keep two places", Options{JQ: ".[0].hours_billed"}, "1.25\n"},
		{"length", Options{JQ: "length"}, "2\n"},
		{"times stay UTC", Options{JQ: ".[0].billed_at"}, "2026-03-02T15:04:05Z\n"},
		{"objects compact when piped", Options{JQ: ".[0] | {id, worked_date}"}, `{"id":1,"worked_date":"2026-03-01"}` + "\n"},
		{"objects indented on a tty", Options{JQ: ".[0] | {id}", IsTTY: true}, "{\n  \"id\": 1\n}\n"},
		{"ignores -o", Options{Format: FormatCSV, JQ: ".[1].id"}, "2\n"},
		{"empty result", Options{JQ: ".[] | select(.id > 5)"}, ""},
		{"columns limit the document", Options{JQ: ".[0] | keys", Columns: []string{"id", "amount"}}, `["amount","id"]` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if out := render(t, BilledHours, tc.opts, rows); out != tc.want {
				t.Errorf("got %q, want %q", out, tc.want)
			}
		})
	}
}

func TestJQOnEmptyListAndView(t *testing.T) {
	if out := render(t, Projects, Options{JQ: "."}, nil); out != "[]\n" {
		t.Errorf("empty list = %q, want []", out)
	}
	if out := renderView(t, EndClients, Options{JQ: ".name"}, api.EndClient{ID: 1, Name: "Acme"}); out != "Acme\n" {
		t.Errorf("view = %q, want the object's name", out)
	}
}

func TestJQRuntimeErrorIsNotUsage(t *testing.T) {
	err := WriteSlice(&bytes.Buffer{}, EndClients, Options{JQ: ".foo"}, []api.EndClient{{ID: 1}})
	var ue *UsageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "--jq") {
		t.Errorf("got %v, want a plain --jq runtime error", err)
	}
}
