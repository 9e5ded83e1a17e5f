package portal_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// A sign-in code lasts 10 minutes, and 5 wrong guesses void it.
func TestLoginCodeExpiresAndWrongGuessesVoidIt(t *testing.T) {
	now := portaltest.Now
	svc, db := portaltest.NewService(t, portal.Options{Now: func() time.Time { return now }})
	code := func() string {
		if err := svc.SendLoginCode(ctx, "ben@contoso.example"); err != nil {
			t.Fatal(err)
		}
		var last string
		db.Emails(ctx, store.EmailQueued, func(m store.Email) error {
			if c := regexp.MustCompile(`is (\d{8})\.`).FindStringSubmatch(m.Body); c != nil {
				last = c[1]
			}
			return nil
		})
		return last
	}
	signIn := func(c string) error {
		_, err := svc.Login(ctx, api.CreateTokenRequest{Email: "ben@contoso.example", Code: c})
		return err
	}
	c := code()
	now = now.Add(portal.LoginCodeTTL + time.Second)
	if err := signIn(c); err == nil {
		t.Error("a code past its 10 minutes signed in")
	}
	c = code()
	for range store.MaxLoginCodeFailures {
		signIn("12345678")
	}
	if err := signIn(c); err == nil {
		t.Errorf("the code after %d wrong guesses signed in", store.MaxLoginCodeFailures)
	}
	if c = code(); signIn(c) != nil {
		t.Error("a fresh code did not sign in")
	}
	if _, err := svc.Login(ctx, api.CreateTokenRequest{Email: "ben@contoso.example", Code: "1", Password: "demo"}); err == nil {
		t.Error("a request mixing a code and a password was accepted")
	}
}
