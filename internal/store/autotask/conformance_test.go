package autotask_test

import (
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// Both SQL stores can hold the copy.
var (
	_ autotask.Local = (*sqlite.DB)(nil)
	_ autotask.Local = (*postgres.DB)(nil)
)

// TestConformance runs the store suite on the synced copy of the strict
// emulator, relaxed only where Autotask cannot hold a fixture detail (see
// storetest.Options for each).
func TestConformance(t *testing.T) {
	relaxed := storetest.Options{NoEvents: true, NoContactRoles: true, NoTaskContracts: true, NoListHashes: true, UpstreamContent: true,
		UpstreamClock: true, Amount: autotasktest.Amount}
	t.Run("sqlite", func(t *testing.T) {
		storetest.RunWith(t, func(t *testing.T, data []byte) store.Store {
			return autotasktest.Open(t, data, autotask.Options{}).Store
		}, relaxed)
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.RunWith(t, func(t *testing.T, data []byte) store.Store {
			db, err := postgres.Open(ctx, pgtest.NewDatabase(t))
			if err != nil {
				t.Fatal(err)
			}
			return autotasktest.OpenOn(t, db, data, autotask.Options{}).Store
		}, relaxed)
	})
}
