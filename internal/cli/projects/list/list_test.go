package list

import (
	"context"
	"encoding/csv"
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
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdList(&factory.Factory{IOStreams: ios}, func(o *Options) error {
				got = o
				_, err := o.Limit.Value()
				return err
			})
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			_, err := cmd.ExecuteC()
			if tt.wantUsage {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Query)
			limit, _ := got.Limit.Value()
			assert.Equal(t, tt.wantLimit, limit)
		})
	}
}

var projects = []api.Project{
	{ID: 1, Number: "P20260105.0001", Name: "Office 365 migration", Status: "in_progress", OrganizationName: "Contoso Ltd"},
	{ID: 2, Number: "P20260110.0002", Name: "Warehouse Wi-Fi, phase =1", Status: "new", OrganizationName: "Contoso Logistics"},
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
	reg.Register(httpmock.REST("GET", "/v1/projects"), httpmock.ListResponse(projects, ""))
	out, errOut, err := runList(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "NUMBER")
	assert.Contains(t, out, "P20260105.0001")
	assert.Contains(t, out, "Office 365 migration")
}

func TestListRunPipedCSV(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects", map[string][]string{"org": {"own"}, "limit": {"30"}}),
		httpmock.ListResponse(projects, ""))
	out, _, err := runList(t, false, reg, "--org own -o csv --columns number,name")
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"number", "name"}, {"P20260105.0001", "Office 365 migration"},
		{"P20260110.0002", "Warehouse Wi-Fi, phase =1"}}, rows)
}

func TestListRunJSONIsEmptyArrayWithoutTimeZoneLookup(t *testing.T) {
	reg := &httpmock.Registry{} // no /v1/me stub: JSON keeps UTC and needs no zone
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects"), httpmock.ListResponse([]api.Project{}, ""))
	out, _, err := runList(t, false, reg, "-o json")
	require.NoError(t, err)
	assert.Equal(t, "[]\n", out)
}

func TestListRunUnknownOrgIsAUsageError(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects"), httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{
		Code: api.CodeInvalidRequest, Message: `unknown organization "Fabrikam": choose all, own, 100 (Contoso Ltd)`,
		Details: map[string]any{"field": "org"}}}))
	_, _, err := runList(t, false, reg, "--org Fabrikam -o json")
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
	assert.Contains(t, err.Error(), "choose all, own, 100 (Contoso Ltd)")
}
