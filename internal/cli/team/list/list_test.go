package list

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
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

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		cli           string
		wantProject   string
		wantEndClient bool
		wantUsage     string
	}{
		{cli: "--project P20260105.0001", wantProject: "P20260105.0001"},
		{cli: "--project 5 --end-client", wantProject: "5", wantEndClient: true},
		{cli: "", wantUsage: `invalid project ""`},
		{cli: "--project T20260105.0001", wantUsage: `invalid project "T20260105.0001"`},
		{cli: "--project", wantUsage: "flag needs an argument"},
		{cli: "P20260105.0001", wantUsage: `unexpected argument "P20260105.0001"`},
		{cli: "--project 5 --limit 3", wantUsage: "unknown flag: --limit"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdList(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			cmd.SetOut(&strings.Builder{})
			cmd.SetErr(&strings.Builder{})
			_, err := cmd.ExecuteC()
			if tt.wantUsage != "" {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
				assert.ErrorContains(t, err, tt.wantUsage)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantProject, got.Project)
			assert.Equal(t, tt.wantEndClient, got.EndClient)
		})
	}
}

var team = []api.TeamMember{
	{Kind: "resource", ID: 3, Name: "Sam Tech", Organization: "Provider Inc", Email: "sam@provider.test", Phone: "+1 555 0100", Role: "Project lead"},
	{Kind: "contact", ID: 9, Name: "Jane Doe", Organization: "Contoso Ltd", Email: "jane@contoso.test", Role: "=HYPERLINK(\"x\")"},
}

func runList(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdList(f, nil)
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

func TestListRunOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/projects/P20260105.0001/team"), httpmock.ListResponse(team, ""))
	out, errOut, err := runList(t, true, reg, "--project p20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	for _, h := range []string{"KIND", "NAME", "ORGANIZATION", "EMAIL", "PHONE", "ROLE"} {
		assert.Contains(t, lines[0], h)
	}
	for _, cell := range []string{"resource", "Sam Tech", "Provider Inc", "sam@provider.test", "+1 555 0100", "Project lead"} {
		assert.Contains(t, lines[1], cell)
	}
	assert.Contains(t, lines[2], "jane@contoso.test")
}

func TestListRunPipedTSV(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	// Every member, in pages of the API's maximum.
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/team", url.Values{"limit": {"500"}}), httpmock.ListResponse(team, ""))
	out, _, err := runList(t, false, reg, "--project 1 --no-headers --columns name,email")
	require.NoError(t, err)
	assert.Equal(t, "Sam Tech\tsam@provider.test\nJane Doe\tjane@contoso.test\n", out)
}

func TestListRunCSVNeutralisesFormulas(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/team"), httpmock.ListResponse(team, ""))
	out, _, err := runList(t, false, reg, "--project 1 -o csv --columns kind,id,name,role")
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"kind", "id", "name", "role"}, {"resource", "3", "Sam Tech", "Project lead"},
		{"contact", "9", "Jane Doe", "'=HYPERLINK(\"x\")"}}, rows)
}

func TestListRunEndClientJSON(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5/team"), httpmock.ListResponse(team, ""))
	out, _, err := runList(t, false, reg, "--project 5 --end-client -o json")
	require.NoError(t, err)
	var got []api.TeamMember
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, team, got)
}

func TestListRunEmptyTeamJQ(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/5/team"), httpmock.ListResponse([]api.TeamMember{}, ""))
	out, _, err := runList(t, false, reg, "--project 5 --jq length")
	require.NoError(t, err)
	assert.Equal(t, "0\n", out)
}

func TestListRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		argv     string
		path     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "no such project", argv: "--project 404", path: "/v1/projects/404/team",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), wantExit: cmdutil.ExitNotFound, wantErr: "project not found"},
		{name: "not a billing organization", argv: "--project 5 --end-client", path: "/v1/end-client/projects/5/team",
			resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			wantExit: cmdutil.ExitForbidden, wantErr: "your organization is not the billing organization on any contract"},
		{name: "end-client project without --end-client", argv: "--project 5", path: "/v1/projects/5/team",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), wantExit: cmdutil.ExitNotFound, wantErr: "project not found"},
		{name: "token rejected", argv: "--project 1", path: "/v1/projects/1/team",
			resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired"},
		{name: "forbidden", argv: "--project 1", path: "/v1/projects/1/team",
			resp: httpmock.ErrorResponse(403, api.CodeForbidden, "your contact is disabled"), wantExit: cmdutil.ExitForbidden, wantErr: "your contact is disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", tt.path), tt.resp)
			out, errOut, err := runList(t, false, reg, tt.argv+" -o json")
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.Empty(t, out)
			assert.Empty(t, errOut)
		})
	}
}
