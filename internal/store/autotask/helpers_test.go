package autotask_test

import (
	"context"
	"testing"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
)

var (
	ctx      = context.Background()
	creds    = autotasktest.Credentials
	fixedNow = autotasktest.Now
)

// bridge is a bridge on a seeded emulator with its local database.
type bridge struct {
	*autotask.Store
	emu    *atemu.Server
	client *at.Client
}

func newBridge(t testing.TB, data []byte, opt autotask.Options, tune ...func(*atemu.Options, *at.Config)) *bridge {
	t.Helper()
	b := autotasktest.Open(t, data, opt, tune...)
	return &bridge{Store: b.Store, emu: b.Emu, client: b.Client}
}
