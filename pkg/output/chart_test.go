package output_test

import (
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

func TestBarChart(t *testing.T) {
	bars := []output.Bar{{Label: "2026-01", Value: api.NewDecimal(8, 0)}, {Label: "2026-02", Value: api.NewDecimal(1, 0)},
		{Label: "2026-03", Value: api.NewDecimal(-2, 0)}, {Label: "2026-04", Value: api.NewDecimal(0, 1)}}
	var plain, color, narrow strings.Builder
	if err := output.WriteBarChart(&plain, "", bars, 30, false); err != nil {
		t.Fatal(err)
	}
	// 30 columns: 7 of label, 5 of value, 4 of gaps: bars of up to 14.
	want := "2026-01  ██████████████   8.00\n" +
		"2026-02  █▊               1.00\n" +
		"2026-03                  -2.00\n" +
		"2026-04  ▏                0.01\n"
	if plain.String() != want {
		t.Errorf("plain chart:\n%s\nwant:\n%s", plain.String(), want)
	}
	output.WriteBarChart(&color, "", bars[:1], 30, true)
	if color.String() != "2026-01  \x1b[36m███████████████\x1b[0m  8.00\n" {
		t.Errorf("coloured: %q", color.String())
	}
	// However narrow the terminal, a bar has room to show.
	output.WriteBarChart(&narrow, "", bars[:2], 5, false)
	if lines := strings.Split(narrow.String(), "\n"); !strings.Contains(lines[0], strings.Repeat("█", 10)) {
		t.Errorf("narrow: %q", narrow.String())
	}
}
