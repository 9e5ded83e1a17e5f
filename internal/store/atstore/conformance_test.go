package atstore_test

import (
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/atstore"
	"github.com/portalctl/portalctl/internal/store/atstore/atstoretest"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// Both SQL stores can hold the copy.
var (
	_ atstore.Local = (*sqlite.DB)(nil)
	_ atstore.Local = (*postgres.DB)(nil)
)

// TestConformance runs the store suite on the synced copy of the strict
// emulator, relaxed only where Autotask cannot hold a fixture detail (see
// storetest.Options for each).
func TestConformance(t *testing.T) {
	relaxed := storetest.Options{NoEvents: true, NoContactRoles: true, NoTaskContracts: true, NoListHashes: true, UpstreamContent: true,
		UpstreamClock: true, Amount: atstoretest.Amount}
	t.Run("sqlite", func(t *testing.T) {
		storetest.RunWith(t, func(t *testing.T, data []byte) store.Stores {
			return atstoretest.Open(t, data, atstore.Options{}).Stores()
		}, relaxed)
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.RunWith(t, func(t *testing.T, data []byte) store.Stores {
			db, err := postgres.Open(ctx, pgtest.NewDatabase(t))
			if err != nil {
				t.Fatal(err)
			}
			return atstoretest.OpenOn(t, db, data, atstore.Options{}).Stores()
		}, relaxed)
	})
}
