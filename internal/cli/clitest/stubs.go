package clitest

import (
	"bytes"
	"testing"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
)

// NewRegistry returns an empty registry that fails t, when the test ends,
// for every stub that was registered but never called.
func NewRegistry(t testing.TB) *httpmock.Registry {
	reg := &httpmock.Registry{}
	t.Cleanup(func() { reg.Verify(t) })
	return reg
}

// MeStub answers one GET /v1/me with an organization in timeZone: table and
// CSV output asks for it to show times in the organization's zone.
func MeStub(reg *httpmock.Registry, timeZone string) {
	reg.Register(httpmock.REST("GET", "/v1/me"),
		httpmock.JSONResponse(api.Me{Organization: api.Organization{TimeZone: timeZone}}))
}

// CommandLine builds the factory for a whole command line through cli.Run:
// the mock keyring, an empty config directory, token "t" and the test host
// from the environment, and HTTP through reg. It returns the stream buffers.
func CommandLine(t testing.TB, reg *httpmock.Registry) (f *factory.Factory, in, out, errOut *bytes.Buffer) {
	t.Helper()
	keyring.MockInit()
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost}
	return factory.NewTest(env, reg)
}
