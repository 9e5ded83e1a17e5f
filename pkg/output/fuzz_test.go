package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

// FuzzCSVFormulaGuard writes a billed-hours row whose text cells (and date,
// which the client takes from the server as any string) are random, as CSV.
// Properties: the output parses back with encoding/csv to exactly the
// cells given; without --csv-raw a cell that starts with = + - @ TAB or CR
// gets a leading apostrophe and its control characters but tab, CR and
// LF are in caret notation, and nothing else changes; with --csv-raw every
// cell is untouched. Seeds: testdata/fuzz/FuzzCSVFormulaGuard and below.
func FuzzCSVFormulaGuard(f *testing.F) {
	for _, s := range []string{"", "plain", "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a,b", `"q"`, "a\nb", "a\r\nb", " =1", "'=1"} {
		f.Add(s, "Acme, Inc.", "2026-03-01", false)
		f.Add(s, s, s, true)
	}
	f.Fuzz(func(t *testing.T, text, client, date string, raw bool) {
		row := billedRow(1)
		row.Description, row.ClientName, row.TaskTitle, row.WorkedDate = text, client, &text, api.Date(date)
		var out bytes.Buffer
		if err := WriteSlice(&out, BilledHours, Options{Format: FormatCSV, CSVRaw: raw}, []api.BilledHoursRow{row}); err != nil {
			t.Fatalf("WriteSlice: %v", err)
		}
		recs, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("output does not parse back as a header and one row (%v):\n%q", err, out.Bytes())
		}
		want := map[string]string{"description": text, "client_name": client, "task_title": text, "worked_date": date}
		for i, key := range recs[0] {
			cell := recs[1][i]
			if !raw && startsFormula(cell) {
				t.Errorf("%s = %q reaches the CSV unguarded", key, cell)
			}
			given, isText := want[key]
			if !isText {
				continue
			}
			if !raw && startsFormula(given) {
				given = "'" + given
			}
			if !raw { // control characters in caret notation, CR kept
				parts := strings.Split(given, "\r")
				for i, p := range parts {
					parts[i] = caretRef(p, "\t\n")
				}
				given = strings.Join(parts, "\r")
			}
			// encoding/csv's reader drops a CR before LF even inside quotes;
			// the writer wrote it, so compare as the reader sees it.
			given = strings.ReplaceAll(given, "\r\n", "\n")
			if cell != given {
				t.Errorf("%s = %q, want %q (raw=%v)", key, cell, given, raw)
			}
		}
	})
}

func startsFormula(s string) bool { return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) }

// FuzzColumnsAndJQ gives random --columns lists and --jq programs in every
// format. Properties: it never panics; the result is a *UsageError with
// nothing written, a --jq runtime error, or output that is valid for its
// format with the columns asked for. Seeds: testdata/fuzz/FuzzColumnsAndJQ
// and below.
func FuzzColumnsAndJQ(f *testing.F) {
	for _, seed := range []struct{ columns, jq string }{
		{"", ""}, {"id,description", ""}, {" id , amount ", ""}, {"id,id", ""}, {",", ""}, {"nmae", ""},
		{"", ".[].description"}, {"id", "map(.id) | add"}, {"", ".[] | ("}, {"", ".foo"}, {"", "halt"},
		{"", `.[0] | {id, worked_date} | tojson`}, {"amount", `[.[].amount] | add / length`}, {"", `"\(.)"`},
	} {
		for format := range byte(6) {
			f.Add(seed.columns, seed.jq, format, false)
		}
		f.Add(seed.columns, seed.jq, byte(0), true)
	}
	rows := []api.BilledHoursRow{billedRow(1), billedRow(2)}
	rows[1].Description = "=cmd|' /C calc'!A0\nsecond line"
	f.Fuzz(func(t *testing.T, columns, jq string, format byte, raw bool) {
		var usage *UsageError
		if jq != "" && !boundedJQ(jq) { // may not terminate: only compile it
			if _, err := CompileJQ(jq); err != nil && !errors.As(err, &usage) {
				t.Fatalf("compiling --jq %q: %v is not a usage error", jq, err)
			}
			return
		}
		opts := Options{Format: []Format{"", FormatTable, FormatCSV, FormatTSV, FormatJSON, FormatNDJSON}[format%6],
			JQ: jq, CSVRaw: raw}
		if columns != "" {
			opts.Columns = strings.Split(columns, ",") // as the CLI's string-slice flag gives them
		}
		var out bytes.Buffer
		err := WriteSlice(&out, BilledHours, opts, rows)
		switch {
		case errors.As(err, &usage):
			if out.Len() != 0 {
				t.Fatalf("usage error %q after output was written: %q", err, out.Bytes())
			}
		case err != nil:
			if jq == "" || !strings.HasPrefix(err.Error(), "--jq: ") {
				t.Fatalf("an error that is neither a usage error nor a --jq run error: %v", err)
			}
		case jq != "":
			// Strings print raw (like gh), so a line need not be JSON; but
			// every result ends its line.
			if out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n' {
				t.Fatalf("--jq output does not end with a newline: %q", out.Bytes())
			}
		default:
			checkFormat(t, opts, out.Bytes())
		}
	})
}

// boundedJQ keeps programs that surely end quickly and in little memory:
// no recursion or generators that can run for ever ("def f: f; f",
// "repeat(1)", "range(1e18)"), no string repetition and no assignment,
// which can grow an array to any index (".[1e8] = 1"); jq itself hangs or
// runs out of memory on those too. Short programs cannot nest much.
func boundedJQ(program string) bool {
	if len(program) > 64 {
		return false
	}
	comparisons := strings.NewReplacer("==", "", "!=", "", "<=", "", ">=", "")
	if strings.Contains(comparisons.Replace(program), "=") {
		return false
	}
	for _, s := range []string{"def", "range", "repeat", "while", "until", "recurse", "..", "combinations",
		"*", "setpath", "input"} {
		if strings.Contains(program, s) {
			return false
		}
	}
	return true
}

// checkFormat checks that out is valid for its format and has one row per
// record plus the header, with the requested number of columns.
func checkFormat(t *testing.T, opts Options, out []byte) {
	t.Helper()
	want := len(BilledHours.Columns)
	if opts.Columns != nil {
		want = 0
		for _, c := range opts.Columns {
			if strings.TrimSpace(c) != "" {
				want++
			}
		}
	}
	switch opts.format() {
	case FormatCSV:
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 3 || len(recs[0]) != want {
			t.Fatalf("CSV: %v, %d records of %d cells, want 3 of %d:\n%s", err, len(recs), len(recs[0]), want, out)
		}
	case FormatTSV:
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if opts.Columns == nil {
			want = shownColumns()
		}
		for _, l := range lines {
			if len(lines) != 3 || strings.Count(l, "\t") != want-1 {
				t.Fatalf("TSV: want 3 lines of %d cells:\n%s", want, out)
			}
		}
	case FormatJSON:
		var v []map[string]any
		if err := json.Unmarshal(out, &v); err != nil || len(v) != 2 || len(v[0]) != want {
			t.Fatalf("JSON: %v, want 2 objects of %d keys:\n%s", err, want, out)
		}
	case FormatNDJSON:
		n := 0
		for line := range bytes.Lines(out) {
			var v map[string]any
			if err := json.Unmarshal(line, &v); err != nil || len(v) != want {
				t.Fatalf("NDJSON line %q: %v, want an object of %d keys", line, err, want)
			}
			n++
		}
		if n != 2 {
			t.Fatalf("NDJSON: %d lines, want 2", n)
		}
	case FormatTable:
		if lines := bytes.Count(out, []byte("\n")); lines != 3 {
			t.Fatalf("table: %d lines, want 3:\n%s", lines, out)
		}
	}
}

func shownColumns() int {
	n := 0
	for _, c := range BilledHours.Columns {
		if c.Shown {
			n++
		}
	}
	return n
}
