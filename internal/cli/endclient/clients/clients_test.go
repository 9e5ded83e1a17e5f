package clients

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
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
			ios, _, _, _ := iostreams.Test()
			ran := false
			cmd := NewCmdClients(&factory.Factory{IOStreams: ios}, func(o *Options) error { ran = true; return nil })
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			cmd.SetOut(&strings.Builder{})
			cmd.SetErr(&strings.Builder{})
			_, err := cmd.ExecuteC()
			if tt.wantUsage != "" {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
				assert.ErrorContains(t, err, tt.wantUsage)
				assert.False(t, ran)
				return
			}
			require.NoError(t, err)
			assert.True(t, ran)
		})
	}
}

var endClients = []api.EndClient{{ID: 300, Name: "Tailspin Dental"}, {ID: 301, Name: "Wingtip Toys, Inc."}}

func runClients(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdClients(f, nil)
	args, _ := shlex.Split(argv)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	// As under the root command: errors are returned, printed once by cli.Run.
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	_, err := cmd.ExecuteContextC(context.Background())
	return out.String(), errOut.String(), err
}

func meStub(reg *httpmock.Registry) {
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{Organization: api.Organization{TimeZone: "America/Chicago"}}))
}

func TestClientsRunOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients, ""))
	out, errOut, err := runClients(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID\s+NAME$`, strings.TrimSpace(lines[0]))
	assert.Regexp(t, `^300\s+Tailspin Dental$`, strings.TrimSpace(lines[1]))
	assert.Regexp(t, `^301\s+Wingtip Toys, Inc\.$`, strings.TrimSpace(lines[2]))
}

func TestClientsRunPipedFormats(t *testing.T) {
	t.Run("tsv", func(t *testing.T) {
		reg := &httpmock.Registry{}
		defer reg.Verify(t)
		meStub(reg)
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients, ""))
		out, _, err := runClients(t, false, reg, "")
		require.NoError(t, err)
		assert.Equal(t, "id\tname\n300\tTailspin Dental\n301\tWingtip Toys, Inc.\n", out)
	})
	t.Run("csv", func(t *testing.T) {
		reg := &httpmock.Registry{}
		defer reg.Verify(t)
		meStub(reg)
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients, ""))
		out, _, err := runClients(t, false, reg, "-o csv")
		require.NoError(t, err)
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err)
		assert.Equal(t, [][]string{{"id", "name"}, {"300", "Tailspin Dental"}, {"301", "Wingtip Toys, Inc."}}, rows)
	})
	t.Run("json over two pages", func(t *testing.T) {
		reg := &httpmock.Registry{}
		defer reg.Verify(t)
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse(endClients[:1], "next"))
		reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/clients", map[string][]string{"cursor": {"next"}}),
			httpmock.ListResponse(endClients[1:], ""))
		out, _, err := runClients(t, false, reg, "-o json")
		require.NoError(t, err)
		var got []api.EndClient
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, endClients, got)
	})
	t.Run("json none", func(t *testing.T) {
		reg := &httpmock.Registry{}
		defer reg.Verify(t)
		reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), httpmock.ListResponse([]api.EndClient{}, ""))
		out, _, err := runClients(t, false, reg, "-o json")
		require.NoError(t, err)
		assert.Equal(t, "[]\n", out)
	})
}

func TestClientsRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "not a billing organization", resp: httpmock.ErrorResponse(403, api.CodeNotBillingOrganization,
			"your organization is not the billing organization on any contract"),
			wantExit: cmdutil.ExitForbidden, wantErr: "your organization is not the billing organization on any contract"},
		{name: "token rejected", resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"),
			wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired"},
		{name: "unavailable", resp: httpmock.ErrorResponse(503, api.CodeUnavailable, "the portal is down for maintenance"),
			wantExit: cmdutil.ExitError, wantErr: "the portal is down for maintenance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", "/v1/end-client/clients"), tt.resp)
			out, errOut, err := runClients(t, false, reg, "-o json")
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.Empty(t, out)
			assert.Empty(t, errOut)
		})
	}
}
