package portal_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/internal/store"
)

// recordByRecord hides a store's store.IdentityStore, so Authenticate takes
// the path of stores without it (one lookup per record).
type recordByRecord struct{ store.Store }

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

// TestAuthenticateInOneQuery: the one-query identity (sqlite, postgres)
// yields exactly the user and the errors of the record-by-record lookups,
// for every kind of user and token.
func TestAuthenticateInOneQuery(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			now := portaltest.Now
			opt := portal.Options{Now: func() time.Time { return now }}
			svc, db := portaltest.NewServiceWith(t, backend, identityData(t), opt)
			if _, ok := db.(store.IdentityStore); !ok {
				t.Fatalf("%s store does not resolve identities in one query", backend)
			}
			slow := portal.New(recordByRecord{db}, opt)
			tokens := map[string]string{"unknown token": portal.TokenPrefix + "nope", "not a token": "abc",
				"expired":          portaltest.RawToken(t, db, "ben", now.Add(-time.Second)),
				"disabled contact": portaltest.RawToken(t, db, "dora", now.Add(time.Hour))}
			for _, u := range []string{"ava", "ben", "chloe", "adam", "nora", "sam", "rita", "max"} {
				tokens[u] = portaltest.RawToken(t, db, u, now.Add(time.Hour))
			}
			revoked := portaltest.User(t, svc, "bob")
			if err := svc.RevokeToken(ctx, revoked, revoked.TokenID); err != nil {
				t.Fatal(err)
			}
			for name, tok := range tokens {
				got, gotErr := svc.Authenticate(ctx, tok)
				want, wantErr := slow.Authenticate(ctx, tok)
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
					t.Errorf("%s: one query gives %+v, %v; record by record %+v, %v", name, got, gotErr, want, wantErr)
				}
			}
			want := map[string][]int64{"ava": {100, 101, 104, 102, 103}, "max": {101, 102, 103}, "rita": {101}}
			for name, scope := range want {
				u, err := svc.Authenticate(ctx, tokens[name])
				if err != nil || !reflect.DeepEqual(u.ScopeOrgIDs, scope) {
					t.Errorf("%s: scope %v (%v), want %v", name, u.ScopeOrgIDs, err, scope)
				}
			}
			if u, _ := svc.Authenticate(ctx, tokens["rita"]); !u.Can("all_org_projects") || u.Can("notes") || u.Organization.ID != 101 {
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
