package httpapi_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/internal/store"
)

// Signing in with a one-time code sent to the contact's own address, on
// every store: single use, the same answer for an address without a
// login, a disabled login gets none, rate-limited per address.
func TestLoginCode(t *testing.T) { portaltest.EachBackend(t, testLoginCode) }

var codeInMail = regexp.MustCompile(`is (\d{8})\.`)

func testLoginCode(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	ask := func(email string) (int, string) {
		status, _, body := e.call("POST", "/v1/auth/login-codes", "", `{"email":"`+email+`"}`)
		return status, body
	}
	codeFor := func(to string) string {
		var code string
		e.db.Emails(context.Background(), store.EmailQueued, func(m store.Email) error {
			if strings.Join(m.To, ",") == to {
				if c := codeInMail.FindStringSubmatch(m.Body); c != nil {
					code = c[1]
				}
			}
			return nil
		})
		return code
	}
	signIn := func(email, code string) int {
		status, _, _ := e.call("POST", "/v1/auth/tokens", "", `{"email":"`+email+`","code":"`+code+`","name":"t"}`)
		return status
	}
	status, known := ask("Ben@Contoso.example")
	_, unknown := ask("nobody@contoso.example")
	if status != 202 || known != unknown {
		t.Errorf("asked for a code: %d %s; for an unknown address: %s; want 202 and the same answer", status, known, unknown)
	}
	code := codeFor("ben@contoso.example")
	if code == "" {
		t.Fatal("no code was queued for ben")
	}
	if got := signIn("ben@contoso.example", "00000000"); got != 401 {
		t.Errorf("a wrong code: %d, want 401", got)
	}
	if got := signIn("ben@contoso.example", code); got != 201 {
		t.Errorf("the code: %d, want 201", got)
	}
	if got := signIn("ben@contoso.example", code); got != 401 {
		t.Errorf("the code used again: %d, want 401 (single use)", got)
	}
	ask("dora@contoso.example") // portal access disabled
	if c := codeFor("dora@contoso.example"); c != "" {
		t.Errorf("a disabled login got a code")
	}
	for range 5 {
		ask("ava@contoso.example")
	}
	if status, body := ask("ava@contoso.example"); status != 429 {
		t.Errorf("the 7th code request for one address: %d %s, want 429", status, body)
	}
}
