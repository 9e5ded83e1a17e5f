package portal_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// identityData is the fixture with a deeper organization tree whose
// breadth-first order differs from id order (100, 101, 104, 102, 103) and a
// contact on a custom level.
func identityData(t *testing.T) []byte {
	var d map[string]any
	if err := json.Unmarshal(portaltest.FixtureJSON, &d); err != nil {
		t.Fatal(err)
	}
	d["organizations"] = append(d["organizations"].([]any),
		map[string]any{"id": 103, "name": "Contoso Freight", "parent_id": 101},
		map[string]any{"id": 104, "name": "Contoso Retail", "parent_id": 100})
	d["contacts"] = append(d["contacts"].([]any),
		map[string]any{"id": 1008, "organization_id": 101, "first_name": "Rita", "last_name": "Reader",
			"username": "rita", "security_level": "Read Only Projects"},
		map[string]any{"id": 1009, "organization_id": 101, "first_name": "Max", "last_name": "Manager",
			"username": "max", "security_level": "manager"})
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAuthenticate: a token resolves in one query to its user, with the
// scope in breadth-first order and a custom level's permissions; an
// unknown, malformed, expired or revoked token is logged out, a disabled
// contact's is refused as disabled.
func TestAuthenticate(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			now := portaltest.Now
			opt := portal.Options{Now: func() time.Time { return now }}
			svc, db := portaltest.NewServiceWith(t, backend, identityData(t), opt)
			tokens := map[string]string{}
			token := func(username string) string {
				if tokens[username] == "" {
					tokens[username] = portaltest.RawToken(t, db.Accounts, username, now.Add(time.Hour))
				}
				return tokens[username]
			}
			revoked := portaltest.Token(t, svc, "bob")
			bob, err := svc.Authenticate(ctx, revoked)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.RevokeToken(ctx, bob, bob.TokenID); err != nil {
				t.Fatal(err)
			}
			const loggedOut, disabled = "your token is invalid, expired or revoked", "your portal access is disabled"
			for name, r := range map[string]struct{ token, message string }{
				"unknown token":    {portal.TokenPrefix + "nope", loggedOut},
				"not a token":      {"abc", loggedOut},
				"expired":          {portaltest.RawToken(t, db.Accounts, "ben", now.Add(-time.Second)), loggedOut},
				"revoked":          {revoked, loggedOut},
				"disabled contact": {token("dora"), disabled},
			} {
				u, err := svc.Authenticate(ctx, r.token)
				if api.ErrorCode(err) != api.CodeUnauthenticated || !strings.HasPrefix(err.Error(), r.message) {
					t.Errorf("%s: %+v, %v; want unauthenticated: %s…", name, u, err, r.message)
				}
			}
			for _, name := range []string{"ben", "chloe", "adam", "nora", "sam"} {
				u, err := svc.Authenticate(ctx, token(name))
				if err != nil || u.Contact.Username != name || u.TokenID == 0 || u.Organization.ID != u.Contact.OrganizationID {
					t.Errorf("%s: %+v %v", name, u, err)
				}
			}
			want := map[string][]int64{"ava": {100, 101, 104, 102, 103}, "max": {101, 102, 103}, "rita": {101}}
			for name, scope := range want {
				u, err := svc.Authenticate(ctx, token(name))
				if err != nil || !reflect.DeepEqual(u.ScopeOrgIDs, scope) {
					t.Errorf("%s: scope %v (%v), want %v", name, u.ScopeOrgIDs, err, scope)
				}
			}
			if u, _ := svc.Authenticate(ctx, token("rita")); !u.Can("all_org_projects") || u.Can("notes") || u.Organization.ID != 101 {
				t.Errorf("custom level: %+v", u)
			}
		})
	}
}

// GET /v1/me names the portal's web address when portald has one
// (--web-url), and null otherwise, for `projects view --web`.
func TestMeWebURL(t *testing.T) {
	for _, webURL := range []string{"", "https://portal.example.com"} {
		svc, _ := portaltest.NewService(t, portal.Options{WebURL: webURL})
		me, err := svc.Me(ctx, portaltest.User(t, svc, "ava"))
		if err != nil {
			t.Fatal(err)
		}
		if got := me.WebURL; (webURL == "" && got != nil) || (webURL != "" && (got == nil || *got != webURL)) {
			t.Errorf("WebURL %q: got %v", webURL, got)
		}
	}
}
