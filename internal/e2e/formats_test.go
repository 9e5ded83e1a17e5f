package e2e_test

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// everyFormat runs a read command as table, CSV, TSV, JSON and NDJSON and
// checks that each carries a record whose key column is want: CSV is parsed
// back with encoding/csv, JSON and NDJSON decoded, TSV split on tabs.
func (u *user) everyFormat(args []string, key, want string) {
	u.t.Helper()
	with := func(format string) string { return u.ok(append(slices.Clone(args), "-o", format)...) }

	var doc any
	if out := with("json"); json.Unmarshal([]byte(out), &doc) != nil || !hasValue(doc, key, want) {
		u.t.Errorf("%v -o json: no %s=%q in\n%s", args, key, want, out)
	}
	out := with("ndjson")
	sc, found := bufio.NewScanner(strings.NewReader(out)), false
	for sc.Scan() {
		var line any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			u.t.Errorf("%v -o ndjson: line is not JSON: %s", args, sc.Text())
		}
		found = found || hasValue(line, key, want)
	}
	if !found {
		u.t.Errorf("%v -o ndjson: no %s=%q in\n%s", args, key, want, out)
	}
	out = with("csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || !hasCell(rows, key, want) {
		u.t.Errorf("%v -o csv (%v): no %s=%q in\n%s", args, err, key, want, out)
	}
	out = with("tsv")
	var cells [][]string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		cells = append(cells, strings.Split(line, "\t"))
	}
	if !hasCell(cells, key, want) {
		u.t.Errorf("%v -o tsv: no %s=%q in\n%s", args, key, want, out)
	}
	// A list is a table with a header row; a single record is "key: value" lines.
	out = with("table")
	header := strings.ToUpper(strings.ReplaceAll(key, "_", " "))
	if !(strings.Contains(out, header) || strings.Contains(out, key+":")) || !strings.Contains(out, want) {
		u.t.Errorf("%v -o table: no %s column with %q in\n%s", args, key, want, out)
	}
}

// hasValue reports whether v (decoded JSON) holds key: want at any depth.
func hasValue(v any, key, want string) bool {
	switch v := v.(type) {
	case map[string]any:
		if got, ok := v[key]; ok && got != nil && fmt.Sprint(got) == want {
			return true
		}
		for _, child := range v {
			if hasValue(child, key, want) {
				return true
			}
		}
	case []any:
		for _, child := range v {
			if hasValue(child, key, want) {
				return true
			}
		}
	}
	return false
}

// hasCell reports whether a header row names key and a later row has want
// in that column.
func hasCell(rows [][]string, key, want string) bool {
	if len(rows) < 2 {
		return false
	}
	col := slices.Index(rows[0], key)
	if col < 0 {
		return false
	}
	for _, r := range rows[1:] {
		if col < len(r) && r[col] == want {
			return true
		}
	}
	return false
}

// jsonRows decodes a JSON array of records.
func (u *user) jsonRows(args ...string) []map[string]any {
	u.t.Helper()
	out := u.ok(append(args, "-o", "json")...)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		u.t.Fatalf("%v -o json: %v\n%s", args, err, out)
	}
	return rows
}

// jsonRecord decodes one JSON record.
func (u *user) jsonRecord(stdin string, args ...string) map[string]any {
	u.t.Helper()
	out := u.okIn(stdin, append(args, "-o", "json")...)
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		u.t.Fatalf("%v -o json: %v\n%s", args, err, out)
	}
	return rec
}

func column(rows []map[string]any, key string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprint(r[key]))
	}
	return out
}

func (u *user) jsonRecordRaw(out string) map[string]any {
	u.t.Helper()
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		u.t.Fatalf("not a JSON record: %v\n%s", err, out)
	}
	return rec
}
