package list

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
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
		{cli: "", wantUsage: "--project is required"},
		{cli: "--project T20260105.0001", wantUsage: `--project: invalid project "T20260105.0001"`},
		{cli: "--project", wantUsage: "flag needs an argument"},
		{cli: "P20260105.0001", wantUsage: `unexpected argument "P20260105.0001"`},
		{cli: "--project 5 --limit 3", wantUsage: "unknown flag: --limit"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdList, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				assert.Equal(t, tt.wantEndClient, got.EndClient)
			}
		})
	}
}

var team = []api.TeamMember{
	{Kind: "resource", ID: 3, Name: "Sam Tech", Organization: "Provider Inc", Email: "sam@provider.test", Phone: "+1 555 0100", Role: "Project lead"},
	{Kind: "contact", ID: 9, Name: "Jane Doe", Organization: "Contoso Ltd", Email: "jane@contoso.test", Role: "=HYPERLINK(\"x\")"},
}

var runList = clitest.Runner(NewCmdList, 120)

func TestListRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/P20260105.0001/team"), httpmock.ListResponse(team, ""))
	out, errOut, err := runList(t, true, reg, "--project p20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
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
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	// Every member, in pages of the API's maximum.
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/team", url.Values{"limit": {"500"}}), httpmock.ListResponse(team, ""))
	out, _, err := runList(t, false, reg, "--project 1 --no-headers --columns name,email")
	require.NoError(t, err)
	assert.Equal(t, "Sam Tech\tsam@provider.test\nJane Doe\tjane@contoso.test\n", out)
}

func TestListRunCSVNeutralisesFormulas(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/1/team"), httpmock.ListResponse(team, ""))
	out, _, err := runList(t, false, reg, "--project 1 -o csv --columns kind,id,name,role")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{{"kind", "id", "name", "role"}, {"resource", "3", "Sam Tech", "Project lead"},
		{"contact", "9", "Jane Doe", "'=HYPERLINK(\"x\")"}}, rows)
}

func TestListRunEndClientJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5/team"), httpmock.ListResponse(team, ""))
	out, _, err := runList(t, false, reg, "--project 5 --end-client -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.TeamMember](t, out)
	assert.Equal(t, team, got)
}

func TestListRunEmptyTeamJQ(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/5/team"), httpmock.ListResponse([]api.TeamMember{}, ""))
	out, _, err := runList(t, false, reg, "--project 5 --jq length")
	require.NoError(t, err)
	assert.Equal(t, "0\n", out)
}

func TestListRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		{Name: "no such project", Argv: "--project 404", Path: "/v1/projects/404/team",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), WantExit: cmdutil.ExitNotFound, WantErr: "project not found"},
		{Name: "not a billing organization", Argv: "--project 5 --end-client", Path: "/v1/end-client/projects/5/team",
			Resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			WantExit: cmdutil.ExitForbidden, WantErr: "your organization is not the billing organization on any contract"},
		{Name: "end-client project without --end-client", Argv: "--project 5", Path: "/v1/projects/5/team",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), WantExit: cmdutil.ExitNotFound, WantErr: "project not found"},
		{Name: "token rejected", Argv: "--project 1", Path: "/v1/projects/1/team",
			Resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), WantExit: cmdutil.ExitNotAuthed, WantErr: "token expired"},
		{Name: "forbidden", Argv: "--project 1", Path: "/v1/projects/1/team",
			Resp: httpmock.ErrorResponse(403, api.CodeForbidden, "your contact is disabled"), WantExit: cmdutil.ExitForbidden, WantErr: "your contact is disabled"},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", tt.Path), tt.Resp)
		return runList(t, false, reg, tt.Argv+" -o json")
	})
}
