package autotask_test

import (
	"testing"

	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// TestMain lets the lease tests run on PostgreSQL: pgtest starts the
// binary's server on first use and stops it at the end.
func TestMain(m *testing.M) { pgtest.Main(m) }
