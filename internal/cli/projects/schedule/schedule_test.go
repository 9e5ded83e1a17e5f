package schedule

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

func TestNewCmdSchedule(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantUsage   string
	}{
		{cli: "1", wantProject: "1"},
		{cli: "p20260105.0001", wantProject: "P20260105.0001"},
		{cli: "1 -o json --jq .items", wantProject: "1"},
		{cli: "", wantUsage: "projects schedule needs a project id or number"},
		{cli: "1 2", wantUsage: "too many arguments"},
		{cli: "-5", wantUsage: "unknown shorthand flag"},
		{cli: "T20260105.0002", wantUsage: `invalid project "T20260105.0002"`},
		{cli: "1 --limit 5", wantUsage: "unknown flag: --limit"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdSchedule, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// A phase with a sub-phase and a task, then a client issue at project level.
var schedule = api.Schedule{ProjectID: 1, Items: []api.ScheduleItem{
	{Kind: "phase", ID: 10, Outline: "1", Title: "Planning", Children: []api.ScheduleItem{
		{Kind: "phase", ID: 11, Outline: "1.1", Title: "Discovery", Children: []api.ScheduleItem{
			{Kind: "task", ID: 100, Outline: "1.1.1", Title: "Inventory mailboxes", Number: ptr("T20260105.0001"),
				Status: ptr("complete"), DueDate: ptr(api.Date("2026-01-20"))},
		}},
		{Kind: "task", ID: 101, Outline: "1.2", Title: "Plan cut-over, =go", Number: ptr("T20260105.0002"), Status: ptr("new")},
	}},
	{Kind: "issue", ID: 200, Outline: "2", Title: "Printer offline", Number: ptr("T20260301.0007"), Status: ptr("new")},
}}

var runSchedule = clitest.Runner(NewCmdSchedule, 120)

func TestScheduleRunOnATerminalIsAnIndentedTable(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/P20260105.0001/schedule"), httpmock.JSONResponse(schedule))
	out, errOut, err := runSchedule(t, true, reg, "P20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 6, out)
	assert.Regexp(t, `^OUTLINE +KIND +TITLE +NUMBER +STATUS +START +DUE$`, lines[0])
	assert.Regexp(t, `^1 +phase +Planning$`, lines[1])
	assert.Regexp(t, `^1\.1\.1 +task +Inventory mailboxes +T20260105\.0001 +complete +2026-01-20$`, lines[3])
	assert.Regexp(t, `^2 +issue +Printer offline +T20260301\.0007 +new$`, lines[5])
	// Titles are indented two spaces a level under the TITLE header.
	col := strings.Index(lines[0], "TITLE")
	for i, want := range []string{"Planning", "  Discovery", "    Inventory mailboxes", "  Plan cut-over, =go", "Printer offline"} {
		assert.True(t, strings.HasPrefix(lines[i+1][col:], want+" ") || lines[i+1][col:] == want, "row %d: %q", i+1, lines[i+1])
	}
}

func TestScheduleRunPipedCSVIsFlatInOutlineOrder(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/1/schedule"), httpmock.JSONResponse(schedule))
	out, _, err := runSchedule(t, false, reg, "1 -o csv --columns outline,kind,title,number")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{
		{"outline", "kind", "title", "number"},
		{"1", "phase", "Planning", ""},
		{"1.1", "phase", "Discovery", ""},
		{"1.1.1", "task", "Inventory mailboxes", "T20260105.0001"},
		{"1.2", "task", "Plan cut-over, =go", "T20260105.0002"},
		{"2", "issue", "Printer offline", "T20260301.0007"},
	}, rows, "titles are not indented outside a table")
}

func TestScheduleRunPipedTSVByDefault(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/schedule"), httpmock.JSONResponse(schedule))
	out, _, err := runSchedule(t, false, reg, "1 --tz UTC --no-headers --columns outline,status")
	require.NoError(t, err)
	assert.Equal(t, "1\t\n1.1\t\n1.1.1\tcomplete\n1.2\tnew\n2\tnew\n", out)
}

func TestScheduleRunJSONIsTheTree(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/schedule"), httpmock.JSONResponse(schedule))
	out, _, err := runSchedule(t, false, reg, "1 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.Schedule](t, out)
	assert.Equal(t, schedule, got)
}

func TestScheduleRunJQWalksTheTree(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/schedule"), httpmock.JSONResponse(schedule))
	out, _, err := runSchedule(t, false, reg, "1 --jq '.items[].title'")
	require.NoError(t, err)
	assert.Equal(t, "Planning\nPrinter offline\n", out)
}

func TestScheduleRunEmptyJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/schedule"), httpmock.JSONResponse(api.Schedule{ProjectID: 1, Items: []api.ScheduleItem{}}))
	out, _, err := runSchedule(t, false, reg, "1 -o json --jq '.items | length'")
	require.NoError(t, err)
	assert.Equal(t, "0\n", out)
}

func TestScheduleRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("no schedule permission", 403, api.CodeForbidden, "your security level does not allow viewing the project schedule", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		clitest.ErrorRow("portal down", 503, api.CodeUpstreamUnavailable, "the Autotask bridge is not answering", cmdutil.ExitError),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/projects/9/schedule"), tt.Resp)
		return runSchedule(t, true, reg, "9")
	})
}
