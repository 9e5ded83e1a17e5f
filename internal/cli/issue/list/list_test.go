package list

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantLimit   int
		wantUsage   string
	}{
		{cli: "--project 1", wantProject: "1", wantLimit: 30},
		{cli: "--project p20260105.0001 -L 10", wantProject: "P20260105.0001", wantLimit: 10},
		{cli: "--project 1 --all", wantProject: "1", wantLimit: 0},
		{cli: "", wantUsage: "--project is required"},
		{cli: "--project", wantUsage: "flag needs an argument"},
		{cli: "--project Office", wantUsage: `--project: invalid project "Office"`},
		{cli: "1", wantUsage: `unexpected argument "1"`},
		{cli: "--project 1 extra", wantUsage: `unexpected argument "extra"`},
		{cli: "--project 1 --limit 0", wantUsage: "invalid --limit 0"},
		{cli: "--project 1 --all -L 2", wantUsage: "specify only one of --limit and --all"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdList, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

var issues = []api.Task{
	{ID: 700, Number: "T20260301.0007", Title: "Printer offline", Description: "Floor 2\tnear the kitchen", Status: "new",
		Priority: ptr("high"), IsIssue: true, ProjectID: 1, ProjectNumber: "P20260105.0001", ProjectName: "Office 365 migration",
		ContactName: ptr("Sam Client"), CreatedAt: ptr(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))},
	{ID: 701, Number: "T20260302.0001", Title: "VPN drops", Status: "complete", IsIssue: true, ProjectID: 1,
		ProjectNumber: "P20260105.0001", AssignedResource: ptr("Alex Admin"), DueDate: ptr(api.Date("2026-03-09"))},
}

var runList = clitest.Runner(NewCmdList, 120)

func TestListRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/P20260105.0001/issues", url.Values{"limit": {"31"}}),
		httpmock.ListResponse(issues, ""))
	out, errOut, err := runList(t, true, reg, "--project P20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID +NUMBER +TITLE +STATUS +PRIORITY +PROJECT +ASSIGNED +DUE$`, lines[0])
	assert.Regexp(t, `^700 +T20260301\.0007 +Printer offline +new +high +P20260105\.0001$`, lines[1])
	assert.Regexp(t, `^701 +T20260302\.0001 +VPN drops +complete +P20260105\.0001 +Alex Admin +2026-03-09$`, lines[2])
}

func TestListRunPipedTSVEscapesTabs(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/issues", url.Values{"limit": {"2"}}),
		httpmock.ListResponse(issues[:2], "next")) // the second only says there are more
	out, _, err := runList(t, false, reg, "--project 1 -L 1 --tz UTC --columns number,description,created_at")
	require.NoError(t, err)
	assert.Equal(t, "number\tdescription\tcreated_at\nT20260301.0007\tFloor 2\\tnear the kitchen\t2026-03-01T08:00:00Z\n", out)
}

func TestListRunPipedCSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ListResponse(issues, ""))
	out, _, err := runList(t, false, reg, "--project 1 -o csv --columns number,priority,contact_name,created_at")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{
		{"number", "priority", "contact_name", "created_at"},
		{"T20260301.0007", "high", "Sam Client", "2026-03-01T02:00:00-06:00"},
		{"T20260302.0001", "", "", ""},
	}, rows)
}

func TestListRunJSONWithJQ(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ListResponse(issues, ""))
	out, _, err := runList(t, false, reg, `--project 1 --jq '.[] | select(.status != "complete") | .title'`)
	require.NoError(t, err)
	assert.Equal(t, "Printer offline\n", out)
}

func TestListRunJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ListResponse(issues, ""))
	out, _, err := runList(t, false, reg, "--project 1 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.Task](t, out)
	assert.Equal(t, issues, got)
}

func TestListRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("forbidden", 403, api.CodeForbidden, "you are not on this project's team", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/projects/4/issues"), tt.Resp)
		return runList(t, false, reg, "--project 4 -o json")
	})
}
