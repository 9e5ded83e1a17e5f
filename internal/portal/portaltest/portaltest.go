// Package portaltest gives tests a real portal: a SQLite store in a temp dir,
// or a database on the test binary's PostgreSQL server (pgtest), loaded with
// a fixture that has one portal user of every kind the authorization matrix
// needs, or the synced copy of Autotask's emulator seeded with that fixture.
// Rules and API tests run on every backend (EachBackend).
package portaltest

import (
	"context"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
)

// FixtureJSON is the built-in demo data set (dataset.DemoJSON):
// testdata/example-import.json plus one user of every kind and the projects,
// tasks and billing items the rules tests need. Every password is "demo".
var FixtureJSON = dataset.DemoJSON

// Password of every fixture login.
const Password = "demo"

// Users maps each kind of user to a fixture username.
var Users = map[string]string{
	"basic_member":    "ben",   // basic, Contoso Ltd, on P20260105.0001's team
	"basic_nonmember": "bob",   // basic, Contoso Ltd, on no team
	"advanced":        "adam",  // advanced, Contoso Ltd
	"manager":         "ava",   // manager, Contoso Ltd (sub-organizations 101 and 102)
	"custom_none":     "nora",  // "No Access" level without permissions, on P20260105.0001's team
	"billing":         "chloe", // advanced, Fabrikam Partners: billing organization of Tailspin and Wingtip
	"nonbilling":      "ben",
	"disabled":        "dora", // portal_enabled false
	"sub_org":         "sam",  // basic, Contoso Logistics (sub-organization of Contoso Ltd)
}

// Now is the fixed clock of NewService: 2026-02-15 12:00 UTC.
var Now = time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)

// NewStore opens a fresh SQLite store holding the fixture.
func NewStore(t testing.TB) *sqlite.DB {
	t.Helper()
	return NewStoreOn(t, "sqlite").(*sqlite.DB)
}

// NewService returns the rules layer over a fresh SQLite fixture store,
// with the clock at Now and opt's other settings.
func NewService(t testing.TB, opt portal.Options) (*portal.Service, *sqlite.DB) {
	t.Helper()
	db := NewStore(t)
	return newService(db, opt), db
}

// NewServiceOn is NewService on either backend (see NewStoreOn).
func NewServiceOn(t testing.TB, backend string, opt portal.Options) (*portal.Service, Store) {
	t.Helper()
	db := NewStoreOn(t, backend)
	return newService(db, opt), db
}

// NewServiceWith is NewServiceOn holding data (a file in the import
// format) instead of the fixture.
func NewServiceWith(t testing.TB, backend string, data []byte, opt portal.Options) (*portal.Service, Store) {
	t.Helper()
	db := NewStoreWith(t, backend, data)
	return newService(db, opt), db
}

func newService(st store.Store, opt portal.Options) *portal.Service {
	if opt.Now == nil {
		opt.Now = func() time.Time { return Now }
	}
	return portal.New(st, opt)
}

// Token logs a fixture user in and returns the bearer token.
func Token(t testing.TB, svc *portal.Service, username string) string {
	t.Helper()
	tok, err := svc.CreateToken(context.Background(), username, "test", time.Hour)
	if err != nil {
		t.Fatalf("token for %s: %v", username, err)
	}
	return tok.Token
}

// User authenticates a fixture user.
func User(t testing.TB, svc *portal.Service, username string) *portal.User {
	t.Helper()
	u, err := svc.Authenticate(context.Background(), Token(t, svc, username))
	if err != nil {
		t.Fatalf("authenticate %s: %v", username, err)
	}
	return u
}

// RawToken stores a token for any contact, bypassing the portal's checks
// (for disabled contacts and expired tokens in authorization tests).
func RawToken(t testing.TB, db store.Store, username string, expiresAt time.Time) string {
	t.Helper()
	ctx := context.Background()
	c, err := db.ContactByUsername(ctx, username)
	if err != nil {
		t.Fatalf("contact %s: %v", username, err)
	}
	secret := portal.TokenPrefix + "raw-" + username + "-" + expiresAt.Format("20060102150405")
	if _, err := db.CreateToken(ctx, store.TokenRecord{ContactID: c.ID, Name: "raw", Hash: portal.HashToken(secret),
		CreatedAt: Now.Add(-time.Hour), ExpiresAt: &expiresAt}); err != nil {
		t.Fatal(err)
	}
	return secret
}
