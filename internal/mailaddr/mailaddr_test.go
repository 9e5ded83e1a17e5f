package mailaddr

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, ok := range []string{"ben@contoso.example", "a.b+tag@sub.example.com", "o'neil@example.ie", "jürgen@example.de"} {
		if err := Check(ok); err != nil {
			t.Errorf("Check(%q) = %v, want ok", ok, err)
		}
	}
	bad := map[string]string{
		"ben@contoso.example\r\nBcc: evil@attacker.example\r\nX-Evil: 1": "line break",
		"ben@contoso.example\nBcc: evil@attacker.example":                "line break",
		"Ben <ben@contoso.example>":                                      "bare address (ben@contoso.example)",
		"<ben@contoso.example>":                                          "bare address",
		" ben@contoso.example":                                           "bare address",
		"ben":                                                            "not an email address",
		"ben@":                                                           "not an email address",
		"a@b.example, c@d.example":                                       "not an email address",
		"ben@contoso.example (Ben)":                                      "bare address",
		"ben\x1b@contoso.example":                                        "not an email address",
		strings.Repeat("a", 250) + "@x.example":                          "too long",
	}
	for in, want := range bad {
		if err := Check(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(%q) = %v, want an error with %q", in, err, want)
		}
	}
}

func TestParseSender(t *testing.T) {
	a, err := ParseSender("Portal <portal@northwind-it.example>")
	if err != nil || a.Name != "Portal" || a.Address != "portal@northwind-it.example" {
		t.Fatalf("%+v %v", a, err)
	}
	if a, err := ParseSender("portal@northwind-it.example"); err != nil || a.Name != "" {
		t.Fatalf("%+v %v", a, err)
	}
	for _, bad := range []string{"portal", "Portal <portal@northwind-it.example", "Portal <portal@x.example>\r\nBcc: e@x.example", ""} {
		if _, err := ParseSender(bad); err == nil {
			t.Errorf("ParseSender(%q) accepted", bad)
		}
	}
}
