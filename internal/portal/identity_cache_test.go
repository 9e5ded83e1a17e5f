package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

// sqlStore is what both SQL stores are: a store that imports, resolves a
// token in one query and numbers its identity changes.
type sqlStore interface {
	dataset.Importer
	Stores() store.Stores
	Close() error
	RevokeTokenByID(ctx context.Context, tokenID int64, at time.Time) error
	ResetPassword(ctx context.Context, contactID int64, hash string, at time.Time) (int64, error)
}

// countingAccounts counts the identity queries that reach the database.
type countingAccounts struct {
	store.Accounts
	queries *atomic.Int64
}

func (c countingAccounts) IdentityByTokenHash(ctx context.Context, hash string) (store.Identity, error) {
	c.queries.Add(1)
	return c.Accounts.IdentityByTokenHash(ctx, hash)
}

// twoInstances opens one fixture database of backend twice, as two portald
// processes sharing it would (separate connections, separate caches), and
// returns a service over each; the second counts its identity queries.
func twoInstances(t *testing.T, backend string, now func() time.Time) (a, b *portal.Service, dbA sqlStore, queriesB *atomic.Int64) {
	t.Helper()
	ctx := context.Background()
	var open func() (sqlStore, error)
	switch backend {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "portal.db")
		open = func() (sqlStore, error) { return sqlite.Open(ctx, path) }
	case "postgres":
		url := pgtest.NewDatabase(t)
		open = func() (sqlStore, error) { return postgres.Open(ctx, url) }
	}
	var dbs [2]sqlStore
	for i := range dbs {
		db, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	importJSON(t, dbs[0], portaltest.FixtureJSON)
	queriesB = &atomic.Int64{}
	opt := portal.Options{Now: now}
	counted := dbs[1].Stores()
	counted.Accounts = countingAccounts{counted.Accounts, queriesB}
	return portal.New(dbs[0].Stores(), opt), portal.New(counted, opt), dbs[0], queriesB
}

func importJSON(t *testing.T, db dataset.Importer, data []byte) {
	t.Helper()
	if _, err := dataset.Import(context.Background(), bytes.NewReader(data), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
}

// fixtureWith is the fixture changed by edit.
func fixtureWith(t *testing.T, edit func(d map[string]any)) []byte {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(portaltest.FixtureJSON, &d); err != nil {
		t.Fatal(err)
	}
	edit(d)
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// record returns the fixture record of kind with id, to edit in place.
func record(d map[string]any, kind string, key string, value any) map[string]any {
	for _, r := range d[kind].([]any) {
		if m := r.(map[string]any); m[key] == value {
			return m
		}
	}
	panic("no " + kind + " record")
}

func isLoggedOut(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == api.CodeUnauthenticated
}

// TestCachedIdentityFollowsEveryChange: instance B serves a token's identity
// from memory, yet a change another instance makes (a revocation, a
// disabled contact, a new sub-organization, a custom level's permissions,
// a password reset, a contact's new security level) shows in B's very next
// request, on both SQL stores.
// Recording a token's use does not empty the cache.
func TestCachedIdentityFollowsEveryChange(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			now := portaltest.Now
			a, b, dbA, queries := twoInstances(t, backend, func() time.Time { return now })
			auth := func(tok string) *portal.User {
				t.Helper()
				u, err := b.Authenticate(ctx, tok)
				if err != nil {
					t.Fatalf("instance B refused a live token: %v", err)
				}
				return u
			}
			ben := portaltest.Token(t, a, "ben")
			for range 5 {
				auth(ben)
			}
			if n := queries.Load(); n != 1 {
				t.Fatalf("5 requests with one token: %d identity queries, want 1 (the rest from memory)", n)
			}
			gen, _ := dbA.Stores().Accounts.IdentityGeneration(ctx)
			if err := dbA.Stores().Accounts.TouchToken(ctx, auth(ben).TokenID, now); err != nil {
				t.Fatal(err)
			}
			if after, _ := dbA.Stores().Accounts.IdentityGeneration(ctx); after != gen {
				t.Errorf("recording a token's use changed the identity generation (%d → %d)", gen, after)
			}

			t.Run("revoked by the user on another instance", func(t *testing.T) {
				u, err := a.Authenticate(ctx, ben)
				if err != nil {
					t.Fatal(err)
				}
				if err := a.RevokeToken(ctx, u, u.TokenID); err != nil {
					t.Fatal(err)
				}
				if _, err := b.Authenticate(ctx, ben); !isLoggedOut(err) {
					t.Fatalf("instance B after the revocation: %v, want unauthenticated", err)
				}
			})
			t.Run("revoked by the administrator", func(t *testing.T) {
				tok := portaltest.Token(t, a, "bob")
				u := auth(tok)
				if err := dbA.RevokeTokenByID(ctx, u.TokenID, now); err != nil {
					t.Fatal(err)
				}
				if _, err := b.Authenticate(ctx, tok); !isLoggedOut(err) {
					t.Fatalf("after portald token revoke: %v, want unauthenticated", err)
				}
			})
			t.Run("password reset", func(t *testing.T) {
				tok := portaltest.Token(t, a, "adam")
				u := auth(tok)
				if _, err := dbA.ResetPassword(ctx, u.Contact.ID, "x", now); err != nil {
					t.Fatal(err)
				}
				if _, err := b.Authenticate(ctx, tok); !isLoggedOut(err) {
					t.Fatalf("after a password reset: %v, want unauthenticated", err)
				}
			})
			t.Run("expired while cached", func(t *testing.T) {
				tok, err := a.CreateToken(ctx, "sam", "short", time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				auth(tok.Token)
				defer func(was time.Time) { now = was }(now)
				now = now.Add(2 * time.Minute)
				if _, err := b.Authenticate(ctx, tok.Token); !isLoggedOut(err) {
					t.Fatalf("after expiry: %v, want unauthenticated", err)
				}
			})

			ava := portaltest.Token(t, a, "ava")
			nora := portaltest.Token(t, a, "nora")
			sam := portaltest.Token(t, a, "sam")
			chloe := portaltest.Token(t, a, "chloe")
			before := auth(ava)
			if u := auth(chloe); u.Level != "advanced" || !u.Can(api.PermNotes) {
				t.Fatalf("the fixture's chloe: level %q, notes %v; want advanced with notes", u.Level, u.Can(api.PermNotes))
			}
			if auth(nora).Can(api.PermNotes) {
				t.Fatal("the fixture's custom level allows notes")
			}
			auth(sam)
			importJSON(t, dbA, fixtureWith(t, func(d map[string]any) {
				d["organizations"] = append(d["organizations"].([]any),
					map[string]any{"id": 105, "name": "Contoso Labs", "parent_id": 100})
				record(d, "contacts", "username", "sam")["portal_enabled"] = false
				record(d, "security_levels", "name", "No Access")["permissions"] = []any{api.PermNotes}
				record(d, "contacts", "username", "chloe")["security_level"] = "Read Only Projects"
			}))
			after := auth(ava)
			// Breadth-first: the new child of 100 comes before 101's child 102.
			if want := []int64{100, 101, 105, 102}; !reflect.DeepEqual(before.ScopeOrgIDs, []int64{100, 101, 102}) ||
				!reflect.DeepEqual(after.ScopeOrgIDs, want) {
				t.Errorf("a new sub-organization: scope %v then %v, want %v", before.ScopeOrgIDs, after.ScopeOrgIDs, want)
			}
			if !auth(nora).Can(api.PermNotes) {
				t.Error("a custom level's new permission is not seen")
			}
			if _, err := b.Authenticate(ctx, sam); !isLoggedOut(err) {
				t.Errorf("a disabled contact: %v, want unauthenticated", err)
			}
			if u := auth(chloe); u.Level != "Read Only Projects" || u.Can(api.PermNotes) {
				t.Errorf("a changed security level: level %q, notes %v; want Read Only Projects without notes", u.Level, u.Can(api.PermNotes))
			}
		})
	}
}
