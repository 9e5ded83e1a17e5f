package portald

import (
	"context"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/pkg/api"
)

// TestSetPasswordRevokesTokens (issue 17, adversary finding 17): after an
// administrator resets a password (a suspected compromise), the user's
// tokens used to stay valid for up to 90 days. Now every token of that user
// is revoked with the reset; other users' tokens are untouched.
func TestSetPasswordRevokesTokens(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	mint := func(user string) string {
		out, errs, code := run(t, ctx, "", "token", "create", "--db", db, "--username", user)
		if code != 0 {
			t.Fatalf("token create: %s", errs)
		}
		return strings.TrimSpace(out)
	}
	ben1, ben2, ava := mint("ben"), mint("ben"), mint("ava")
	_, errs, code := run(t, ctx, "s3cret-pass\n", "user", "set-password", "--db", db, "--username", "ben", "--password-stdin")
	if code != 0 || !strings.Contains(errs, "2 token(s) revoked") {
		t.Fatalf("set-password: %d %q, want it to say 2 tokens were revoked", code, errs)
	}
	st, err := openDB(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := portal.New(st, portal.Options{})
	for name, tok := range map[string]string{"ben's first": ben1, "ben's second": ben2} {
		if _, err := svc.Authenticate(ctx, tok); api.ErrorCode(err) != api.CodeUnauthenticated {
			t.Errorf("%s token after the reset: %v, want unauthenticated", name, err)
		}
	}
	if _, err := svc.Authenticate(ctx, ava); err != nil {
		t.Errorf("ava's token after ben's reset: %v", err)
	}
	if _, err := svc.Login(ctx, api.CreateTokenRequest{Username: "ben", Password: "s3cret-pass"}); err != nil {
		t.Errorf("logging in with the new password: %v", err)
	}
}
