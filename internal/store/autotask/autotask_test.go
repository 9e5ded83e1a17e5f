package autotask_test

import (
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/store/storetest"
)

// Both SQL stores can be the bridge's local database.
var (
	_ autotask.LocalStore = (*sqlite.DB)(nil)
	_ autotask.LocalStore = (*postgres.DB)(nil)
)

// TestConformance runs the store suite against the bridge on the emulator,
// relaxed only where Autotask cannot hold a fixture detail (see
// storetest.Options for each).
func TestConformance(t *testing.T) {
	storetest.RunWith(t, func(t *testing.T, data []byte) store.Store {
		return newBridge(t, data, autotask.Options{}).Store
	}, storetest.Options{NoEvents: true, NoContactRoles: true, NoTaskContracts: true, NoListHashes: true, UpstreamClock: true})
}
