package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/portalctl/portalctl/pkg/api"
)

// csvBoth writes one row of text cells with our encoder (formula guard and
// control characters on or off) and with encoding/csv (guard applied to the
// cells first).
func csvBoth(t *testing.T, guard bool, cells ...string) (ours, theirs string) {
	t.Helper()
	vals := make([]Value, len(cells))
	for i, c := range cells {
		vals[i] = Str(c)
	}
	return csvBothValues(t, guard, vals...)
}

// csvBothValues is csvBoth for cells of any kind: encoding/csv gets each
// cell's text as the encoder renders it.
func csvBothValues(t *testing.T, guard bool, vals ...Value) (ours, theirs string) {
	t.Helper()
	var a, b bytes.Buffer
	loc := chicago(t)
	bw := bufio.NewWriter(&a)
	e := &csvEncoder{bw: bw, guard: guard, loc: loc}
	want := make([]string, len(vals))
	for i, v := range vals {
		want[i] = string(v.appendText(nil, loc, styleMachine))
		if guard && (v.isText() || v.kind == kindDate) && needsFormulaGuard(v) {
			want[i] = "'" + want[i]
		}
		if guard && (v.isText() || v.kind == kindDate) {
			// Control characters in caret notation (FuzzSanitize checks it).
			want[i] = string(sanitizeCSVTail([]byte(want[i]), 0))
		}
	}
	if err := e.row(vals); err != nil {
		t.Fatal(err)
	}
	if err := e.end(); err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(&b)
	if err := w.Write(want); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return a.String(), b.String()
}

func TestCSVMatchesEncodingCSVForEveryKind(t *testing.T) {
	at := time.Date(2026, 3, 8, 8, 30, 0, 0, time.UTC)
	for _, guard := range []bool{false, true} {
		ours, theirs := csvBothValues(t, guard, Null(), Int(-5), Int(0), Dec(api.NewDecimal(0, -50)), Bool(true),
			Time(at), DateV("2026-03-01"), DateV("=1,2"), DateV(" 2026"), Strings([]string{"a", "b,c"}),
			Strings([]string{"-x"}), Strings(nil), Indented("title, indented", 2), Str(""))
		assert.Equal(t, theirs, ours, "guard=%v", guard)
	}
}

var csvCells = []string{
	"", "plain", "a,b", `say "hi"`, `""`, `"`, "line1\nline2", "cr\rlf", "a\r\nb", " lead", "\tlead", "\vlead", "\flead",
	"\u00a0nbsp", "\u2003em space", "\u0085nel", "\x85raw byte", `\.`, `\..`, "trail ", "Zoë — 日本語 ✓", "bad \xff utf8",
	"=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\rx", "<>&",
}

func TestCSVMatchesEncodingCSV(t *testing.T) {
	for _, cell := range csvCells {
		for _, guard := range []bool{false, true} {
			ours, theirs := csvBoth(t, guard, cell, "x", cell)
			assert.Equal(t, theirs, ours, "cell %q guard=%v", cell, guard)
		}
	}
}

// FuzzCSVMatchesEncodingCSV: for any cells, our CSV row is encoding/csv's,
// byte for byte.
func FuzzCSVMatchesEncodingCSV(f *testing.F) {
	for _, c := range csvCells {
		f.Add(c, "plain", c, false)
		f.Add(c, c, "", true)
	}
	f.Fuzz(func(t *testing.T, a, b, c string, guard bool) {
		ours, theirs := csvBoth(t, guard, a, b, c)
		if ours != theirs {
			t.Fatalf("cells %q %q %q guard=%v:\nours   %q\ntheirs %q", a, b, c, guard, ours, theirs)
		}
	})
}
