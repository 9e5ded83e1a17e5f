package shared

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// A CI log over the limit keeps its first and last lines whole, with one
// marker line between them that says how much was cut and where the whole
// log is; the result is within the limit.
func TestFitBody(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "ok  \tpkg/%04d\t0.01s ünïcödé\n", i)
	}
	b.WriteString("--- FAIL: TestBackup\nFAIL\n")
	log := b.String()
	got, cut := FitBody(log, 32000, "the whole text is attached as build.log")
	if !cut || utf8.RuneCountInString(got) > 32000 || utf8.RuneCountInString(got) < 31000 {
		t.Fatalf("cut=%v, %d characters", cut, utf8.RuneCountInString(got))
	}
	lines := strings.Split(got, "\n")
	if lines[0] != "ok  \tpkg/0000\t0.01s ünïcödé" || !strings.HasSuffix(got, "--- FAIL: TestBackup\nFAIL\n") {
		t.Errorf("head %q, tail %q", lines[0], got[len(got)-40:])
	}
	markers := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "[… ") {
			markers++
			if !strings.Contains(l, "lines (") || !strings.Contains(l, "characters) cut here by portalctl: the whole text is attached as build.log …]") {
				t.Errorf("marker %q", l)
			}
		} else if l != "" && !strings.HasPrefix(l, "ok  \tpkg/") && l != "--- FAIL: TestBackup" && l != "FAIL" {
			t.Errorf("a line was cut in the middle: %q", l)
		}
	}
	if markers != 1 {
		t.Errorf("%d marker lines", markers)
	}
	if same, cut := FitBody("short", 32000, "x"); same != "short" || cut {
		t.Errorf("short body changed: %q", same)
	}
}
