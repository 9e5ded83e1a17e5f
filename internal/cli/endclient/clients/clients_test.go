package clients

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdClients(t *testing.T) {
	tests := []struct {
		cli       string
		wantUsage string
	}{
		{cli: ""},
		{cli: "-o csv --columns name"},
		{cli: "Tailspin", wantUsage: `unexpected argument "Tailspin"`},
		{cli: "--client 3", wantUsage: "unknown flag: --client"},
		{cli: "--limit 3", wantUsage: "unknown flag: --limit"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			// Either a usage error before the command runs, or the command runs.
			clitest.ParseRow(t, NewCmdClients, tt.cli, tt.wantUsage)
		})
	}
}

var endClients = []api.EndClient{{ID: 300, Name: "Tailspin Dental"}, {ID: 301, Name: "Wingtip Toys, Inc."}}

var runClients = clitest.Runner(NewCmdClients, 120)

func TestClientsRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients, ""))
	out, errOut, err := runClients(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID\s+NAME$`, strings.TrimSpace(lines[0]))
	assert.Regexp(t, `^300\s+Tailspin Dental$`, strings.TrimSpace(lines[1]))
	assert.Regexp(t, `^301\s+Wingtip Toys, Inc\.$`, strings.TrimSpace(lines[2]))
}

func TestClientsRunPipedFormats(t *testing.T) {
	t.Run("tsv", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		clitest.MeStub(reg, "America/Chicago")
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients, ""))
		out, _, err := runClients(t, false, reg, "")
		require.NoError(t, err)
		assert.Equal(t, "id\tname\n300\tTailspin Dental\n301\tWingtip Toys, Inc.\n", out)
	})
	t.Run("csv", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		clitest.MeStub(reg, "America/Chicago")
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients, ""))
		out, _, err := runClients(t, false, reg, "-o csv")
		require.NoError(t, err)
		rows := clitest.CSV(t, out)
		assert.Equal(t, [][]string{{"id", "name"}, {"300", "Tailspin Dental"}, {"301", "Wingtip Toys, Inc."}}, rows)
	})
	t.Run("json over two pages", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients[:1], "next"))
		reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/clients", map[string][]string{"cursor": {"next"}}),
			httpmock.ListResponse(endClients[1:], ""))
		out, _, err := runClients(t, false, reg, "-o json")
		require.NoError(t, err)
		got := clitest.DecodeJSON[[]api.EndClient](t, out)
		assert.Equal(t, endClients, got)
	})
	t.Run("json none", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse([]api.EndClient{}, ""))
		out, _, err := runClients(t, false, reg, "-o json")
		require.NoError(t, err)
		assert.Equal(t, "[]\n", out)
	})
}

func TestClientsRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not a billing organization", 403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		clitest.ErrorRow("unavailable", 503, api.CodeUnavailable, "the portal is down for maintenance", cmdutil.ExitError),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), tt.Resp)
		return runClients(t, false, reg, "-o json")
	})
}
