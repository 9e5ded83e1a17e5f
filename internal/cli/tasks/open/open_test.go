package open

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdOpen(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantLimit   int
		wantUsage   bool
	}{
		{cli: "", wantLimit: 30},
		{cli: "--project P20260105.0001", wantProject: "P20260105.0001", wantLimit: 30},
		{cli: "--project p20260105.0001 -L 5", wantProject: "P20260105.0001", wantLimit: 5},
		{cli: "--project 42 --all", wantProject: "42", wantLimit: 0},
		{cli: "--project T20260105.0001", wantUsage: true},
		{cli: "--project 0", wantUsage: true},
		{cli: "--project", wantUsage: true},
		{cli: "--limit 0", wantUsage: true},
		{cli: "--all --limit 3", wantUsage: true},
		{cli: "--nope", wantUsage: true},
		{cli: "stray", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRowAnyUsage(t, NewCmdOpen, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

var tasks = []api.Task{
	{ID: 100, Number: "T20260105.0001", Title: "Confirm licence count", Status: "waiting_customer",
		Priority: ptr("high"), ProjectNumber: "P20260105.0001", AssignedResource: ptr("Sam Tech"), DueDate: ptr(api.Date("2026-02-01"))},
	{ID: 101, Number: "T20260105.0002", Title: "Sign off cut-over\tplan", Status: "in_progress",
		ProjectNumber: "P20260105.0001", ClientCompletable: true},
}

var runOpen = clitest.Runner(NewCmdOpen, 120)

func TestOpenRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse(tasks, ""))
	out, errOut, err := runOpen(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	for _, h := range []string{"ID", "NUMBER", "TITLE", "STATUS", "PRIORITY", "PROJECT", "ASSIGNED", "DUE"} {
		assert.Contains(t, lines[0], h)
	}
	assert.Contains(t, lines[1], "T20260105.0001")
	assert.Contains(t, lines[1], "Confirm licence count")
	assert.Contains(t, lines[1], "2026-02-01")
	assert.Contains(t, lines[2], "T20260105.0002")
}

func TestOpenRunPipedTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/tasks/open", url.Values{"project": {"P20260105.0001"}, "limit": {"6"}}),
		httpmock.ListResponse(tasks, ""))
	out, errOut, err := runOpen(t, false, reg, "--project p20260105.0001 -L 5 --columns number,title,status")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, "number\ttitle\tstatus\n"+
		"T20260105.0001\tConfirm licence count\twaiting_customer\n"+
		"T20260105.0002\tSign off cut-over\\tplan\tin_progress\n", out)
}

func TestOpenRunJSONFollowsPages(t *testing.T) {
	reg := clitest.NewRegistry(t) // no /v1/me: JSON needs no time zone
	reg.Register(httpmock.QueryMatcher("GET", "/v1/tasks/open", url.Values{"limit": {"500"}}),
		httpmock.ListResponse(tasks[:1], "c1"))
	reg.Register(httpmock.QueryMatcher("GET", "/v1/tasks/open", url.Values{"cursor": {"c1"}}),
		httpmock.ListResponse(tasks[1:], ""))
	out, _, err := runOpen(t, false, reg, "--all -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.Task](t, out)
	assert.Equal(t, tasks, got)
}

func TestOpenRunNoTasksIsEmptyJSONArray(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse([]api.Task{}, ""))
	out, _, err := runOpen(t, false, reg, "-o json")
	require.NoError(t, err)
	assert.Equal(t, "[]\n", out)
}

func TestOpenRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		{Name: "unknown project", Argv: "--project 999 -o json", Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"),
			WantExit: cmdutil.ExitNotFound, WantErr: "project not found"},
		{Name: "token rejected", Argv: "-o json", Resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"),
			WantExit: cmdutil.ExitNotAuthed, WantErr: "token expired"},
		{Name: "forbidden", Argv: "-o json", Resp: httpmock.ErrorResponse(403, api.CodeForbidden, "your contact is disabled"),
			WantExit: cmdutil.ExitForbidden, WantErr: "your contact is disabled"},
		{Name: "bad cursor", Argv: "-o json", Resp: httpmock.ErrorResponse(400, api.CodeInvalidCursor, "invalid cursor"),
			WantExit: cmdutil.ExitRejected, WantErr: "invalid cursor"},
		{Name: "bad output format", Argv: "-o xml", WantExit: cmdutil.ExitUsage,
			WantErr: `invalid value "xml" for --output; choose one of: table, csv, tsv, json, ndjson`},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		if tt.Resp != nil {
			reg.Register(httpmock.REST("GET", "/v1/tasks/open"), tt.Resp)
		}
		return runOpen(t, false, reg, tt.Argv)
	})
}

// TestProjectFlagErrorNamesTheFlag: a bad --project says which flag is wrong.
func TestProjectFlagErrorNamesTheFlag(t *testing.T) {
	_, err := clitest.ParseFlags(t, NewCmdOpen, "--project NOPE")
	clitest.AssertUsageError(t, err, `--project: invalid project "NOPE": give its id (42) or its number (P20260105.0001)`)
}

// At 80 columns the numbers and the status stay whole (only titles and
// names shrink); --no-truncate keeps every cell.
func TestOpenRunAt80Columns(t *testing.T) {
	for _, tc := range []struct {
		argv    string
		wantCut bool
	}{{"", true}, {"--no-truncate", false}} {
		t.Run(tc.argv, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			clitest.MeStub(reg, "America/Chicago")
			long := tasks[0]
			long.Title = "Confirm the licence count for every office before the renewal"
			reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse([]api.Task{long}, ""))
			out, _, err := clitest.Run(t, NewCmdOpen, reg, tc.argv, clitest.Opts{TTY: true, Width: 80})
			require.NoError(t, err)
			for _, keep := range []string{"T20260105.0001", "waiting_customer", "P20260105.0001"} {
				assert.Contains(t, out, keep)
			}
			assert.Equal(t, tc.wantCut, !strings.Contains(out, long.Title), out)
		})
	}
}
