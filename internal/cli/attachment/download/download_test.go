package download

import "testing"

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
	}
	for in, want := range tests {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
