package download

import (
	"strings"
	"testing"
)

func TestSafeNameNeverLeavesTheDirectory(t *testing.T) {
	tests := map[string]string{
		"plan.txt":              "plan.txt",
		"../../etc/passwd":      "passwd",
		"/etc/shadow":           "shadow",
		`..\..\windows\win.ini`: "win.ini",
		"..":                    "",
		".bashrc":               "bashrc",
		"a\x00b\nc.txt":         "abc.txt",
		"":                      "",
		"Angebot März.pdf":      "Angebot März.pdf",
		// Over-long names are cut to 200 bytes on a character boundary, extension kept.
		strings.Repeat("a", 300) + ".txt":                        strings.Repeat("a", 196) + ".txt",
		strings.Repeat("ä", 150) + ".pdf":                        strings.Repeat("ä", 98) + ".pdf",
		strings.Repeat("b", 180) + "." + strings.Repeat("c", 40): strings.Repeat("b", 180) + "." + strings.Repeat("c", 19),
	}
	for in, want := range tests {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
