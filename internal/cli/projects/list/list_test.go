package list

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		cli       string
		want      client.ProjectsQuery
		wantLimit int
		wantUsage bool
	}{
		{cli: "", wantLimit: 30},
		{cli: "--org own --include-completed --search wifi", want: client.ProjectsQuery{Org: "own", IncludeCompleted: true, Search: "wifi"}, wantLimit: 30},
		{cli: "--all", wantLimit: 0},
		{cli: "-L 5", wantLimit: 5},
		{cli: "--limit 0", wantUsage: true},
		{cli: "--all --limit 3", wantUsage: true},
		{cli: "stray", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRowAnyUsage(t, NewCmdList, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.want, got.Query)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

var projects = []api.Project{
	{ID: 1, Number: "P20260105.0001", Name: "Office 365 migration", Status: "in_progress", OrganizationName: "Contoso Ltd"},
	{ID: 2, Number: "P20260110.0002", Name: "Warehouse Wi-Fi, phase =1", Status: "new", OrganizationName: "Contoso Logistics"},
}

var runList = clitest.Runner(NewCmdList, 120)

func TestListRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects"), httpmock.ListResponse(projects, ""))
	out, errOut, err := runList(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "NUMBER")
	assert.Contains(t, out, "P20260105.0001")
	assert.Contains(t, out, "Office 365 migration")
}

func TestListRunPipedCSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects", map[string][]string{"org": {"own"}, "limit": {"31"}}),
		httpmock.ListResponse(projects, ""))
	out, _, err := runList(t, false, reg, "--org own -o csv --columns number,name")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{{"number", "name"}, {"P20260105.0001", "Office 365 migration"},
		{"P20260110.0002", "Warehouse Wi-Fi, phase =1"}}, rows)
}

func TestListRunJSONIsEmptyArrayWithoutTimeZoneLookup(t *testing.T) {
	reg := clitest.NewRegistry(t) // no /v1/me stub: JSON keeps UTC and needs no zone
	reg.Register(httpmock.REST("GET", "/v1/projects"), httpmock.ListResponse([]api.Project{}, ""))
	out, _, err := runList(t, false, reg, "-o json")
	require.NoError(t, err)
	assert.Equal(t, "[]\n", out)
}

func TestListRunUnknownOrgIsAUsageError(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects"), httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{
		Code: api.CodeInvalidRequest, Message: `unknown organization "Fabrikam": choose all, own, 100 (Contoso Ltd)`,
		Details: map[string]any{"field": "org"}}}))
	_, _, err := runList(t, false, reg, "--org Fabrikam -o json")
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
	assert.Contains(t, err.Error(), "choose all, own, 100 (Contoso Ltd)")
}
