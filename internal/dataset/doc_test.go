package dataset

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDataFormatDocMatchesImporter: docs/data-format.md's table lists, for
// every kind, exactly the fields the importer accepts, and marks with * exactly
// the ones it requires. The document is what people write import files from.
func TestDataFormatDocMatchesImporter(t *testing.T) {
	raw, err := os.ReadFile("../../docs/data-format.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `(\\w+)` \\| (.*) \\|$")
	field := regexp.MustCompile("`(\\w+)`(\\*?)")
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(raw), -1) {
		kind, cell := m[1], m[2]
		sp, ok := specs[kind]
		if !ok {
			t.Errorf("docs/data-format.md documents %q, which the importer does not accept", kind)
			continue
		}
		documented[kind] = true
		fields, required := map[string]bool{}, map[string]bool{}
		for _, f := range field.FindAllStringSubmatch(cell, -1) {
			if _, known := sp.fields[f[1]]; !known {
				continue // a value (`client`, `basic`) or an example, not a field
			}
			fields[f[1]] = true
			required[f[1]] = required[f[1]] || f[2] == "*"
		}
		for name := range sp.fields {
			if !fields[name] {
				t.Errorf("docs/data-format.md: %s: the importer accepts %q, which the table does not list", kind, name)
			}
		}
		for name, req := range required {
			if want := slices.Contains(sp.required, name); req != want {
				t.Errorf("docs/data-format.md: %s.%s is marked required=%v; the importer says %v", kind, name, req, want)
			}
		}
	}
	for kind := range specs {
		if !documented[kind] {
			t.Errorf("docs/data-format.md has no row for %q", kind)
		}
	}
	for _, kind := range Kinds {
		if !strings.Contains(string(raw), "`"+kind+"`") {
			t.Errorf("docs/data-format.md never names %q", kind)
		}
	}
}
