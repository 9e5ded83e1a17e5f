package portaltest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

// Backends are the stores the rules and API suites run on: the two SQL
// stores, and the synced copy of Autotask (in SQLite) made from its
// emulator (internal/autotask/atemu).
var Backends = []string{"sqlite", "postgres", "autotask"}

// Store is a fixture store of any backend. The SQL stores also implement
// store.Importer (an import into the Autotask copy would be overwritten by
// the sync), so a test that needs one asserts it.
type Store interface {
	store.Store
}

// NewStoreOn opens a fresh store of backend (one of Backends) holding the
// fixture. PostgreSQL runs on the test binary's pgtest server, so the
// package's TestMain must call pgtest.Main; without PostgreSQL binaries the
// test is skipped (failed in CI, see pgtest.NoSkipEnv). "autotask" is an
// *autotasktest.Bridge, whose Emu counts the upstream calls.
func NewStoreOn(t testing.TB, backend string) Store {
	t.Helper()
	return NewStoreWith(t, backend, FixtureJSON)
}

// NewStoreWith is NewStoreOn holding data (a file in the import format)
// instead of the fixture.
func NewStoreWith(t testing.TB, backend string, data []byte) Store {
	t.Helper()
	var db Store
	switch backend {
	case "sqlite":
		sq, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
		if err != nil {
			t.Fatal(err)
		}
		db = sq
		t.Cleanup(func() { db.Close() })
		if err := importData(sq, data); err != nil {
			t.Fatalf("import: %v", err)
		}
	case "postgres":
		// Each data set is imported once per test binary, into a template
		// database that every test then copies.
		sum := sha256.Sum256(data)
		url := pgtest.NewDatabaseFrom(t, "data_"+hex.EncodeToString(sum[:8]), func(url string) error {
			pg, err := postgres.Open(context.Background(), url)
			if err != nil {
				return err
			}
			defer pg.Close()
			return importData(pg, data)
		})
		pg, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		db = pg
		t.Cleanup(func() { db.Close() })
	case "autotask":
		// The emulator stamps what it creates with the rules' clock, so
		// new issues are numbered T20260215.nnnn on every backend.
		now := func() time.Time { return Now }
		db = autotasktest.Open(t, data, autotask.Options{Now: now}, autotasktest.Clock(now))
	default:
		t.Fatalf("portaltest: no backend %q (choose one of %v)", backend, Backends)
	}
	return db
}

func importData(db store.Importer, data []byte) error {
	_, err := dataset.Import(context.Background(), bytes.NewReader(data), db, dataset.Options{BcryptCost: bcrypt.MinCost})
	return err
}

// EachBackend runs test once per backend, as parallel subtests named after
// the backend ("TestX/sqlite", "TestX/postgres", "TestX/autotask").
func EachBackend(t *testing.T, test func(t *testing.T, backend string)) {
	t.Helper()
	for _, backend := range Backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			test(t, backend)
		})
	}
}

// Amount is what a billed row of hours at rate (both "1.50") is invoiced
// for on backend: hours × rate to the cent, but on Autotask its own
// extendedPrice (as the emulator seeds it; autotasktest.Amount).
func Amount(backend, hours, rate string) string {
	h, _ := api.ParseDecimal(hours)
	r, _ := api.ParseDecimal(rate)
	if backend == "autotask" {
		return autotasktest.Amount(h, r).String()
	}
	return h.MulRound(r).String()
}
