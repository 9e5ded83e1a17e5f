package complete

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdComplete(t *testing.T) {
	tests := []struct {
		cli       string
		wantTask  string
		wantUsage string
	}{
		{cli: "T20260105.0002", wantTask: "T20260105.0002"},
		{cli: " t20260105.0002 ", wantTask: "T20260105.0002"},
		{cli: "101 -o json", wantTask: "101"},
		{cli: "", wantUsage: "tasks complete needs a task id or number"},
		{cli: "101 102", wantUsage: "too many arguments"},
		{cli: "T2026", wantUsage: `invalid task "T2026"`},
		{cli: "-- -1", wantUsage: `invalid task "-1"`},
		{cli: "101 --force", wantUsage: "unknown flag: --force"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			argv := clitest.Split(t, tt.cli)
			if strings.HasPrefix(tt.cli, " ") {
				argv = []string{tt.cli} // an argument with spaces around it, as from a script
			}
			got, err := clitest.ParseArgs(t, NewCmdComplete, argv)
			if tt.wantUsage != "" {
				clitest.AssertUsageError(t, err, tt.wantUsage)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantTask, got.Task)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func result(already bool) api.CompleteResult {
	return api.CompleteResult{Task: api.Task{ID: 101, Number: "T20260105.0002", Title: "Sign off cut-over plan",
		Status: "complete", ProjectNumber: "P20260105.0001", ClientCompletable: true,
		CompletedAt: ptr(time.Date(2026, 1, 8, 16, 0, 0, 0, time.UTC)), CompletedBy: ptr("Jane Doe")},
		AlreadyComplete: already}
}

var runComplete = clitest.Runner(NewCmdComplete, 120)

func TestCompleteRunOnATerminal(t *testing.T) {
	tests := []struct {
		name    string
		already bool
		wantOut string
	}{
		{name: "completes", wantOut: "✓ Completed task T20260105.0002 \"Sign off cut-over plan\"\n"},
		{name: "already complete is a success", already: true, wantOut: "Task T20260105.0002 was already complete\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("POST", "/v1/tasks/T20260105.0002/complete"), httpmock.JSONResponse(result(tt.already)))
			out, errOut, err := runComplete(t, true, reg, "t20260105.0002")
			require.NoError(t, err)
			assert.Equal(t, cmdutil.ExitOK, cmdutil.ExitCode(err))
			assert.Equal(t, tt.wantOut, out)
			assert.Empty(t, errOut)
		})
	}
}

func TestCompleteRunPipedJSON(t *testing.T) {
	for _, already := range []bool{false, true} {
		reg := &httpmock.Registry{}
		reg.Register(httpmock.REST("POST", "/v1/tasks/101/complete"), httpmock.JSONResponse(result(already)))
		out, _, err := runComplete(t, false, reg, "101 -o json")
		require.NoError(t, err)
		got := clitest.DecodeJSON[api.CompleteResult](t, out)
		assert.Equal(t, result(already), got)
		assert.Contains(t, out, `"already_complete":`)
		reg.Verify(t)
	}
}

func TestCompleteRunPipedTSVShowsAlreadyComplete(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/New_York")
	reg.Register(httpmock.REST("POST", "/v1/tasks/101/complete"), httpmock.JSONResponse(result(true)))
	out, _, err := runComplete(t, false, reg, "101 --columns number,status,completed_at,already_complete")
	require.NoError(t, err)
	assert.Equal(t, "number\tstatus\tcompleted_at\talready_complete\n"+
		"T20260105.0002\tcomplete\t2026-01-08T11:00:00-05:00\ttrue\n", out)
}

func TestCompleteRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not the contact", 403, api.CodeForbidden, "you are not the contact of task T20260105.0002", cmdutil.ExitForbidden),
		clitest.ErrorRow("end-client task", 403, api.CodeReadOnly, "end-client projects are read-only", cmdutil.ExitForbidden),
		clitest.ErrorRow("no such task", 404, api.CodeNotFound, "task not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		clitest.ErrorRow("conflict", 409, api.CodeConflict, "the project is complete", cmdutil.ExitRejected),
		clitest.ErrorRow("rate limited", 429, api.CodeRateLimited, "too many requests", cmdutil.ExitRateLimited),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("POST", "/v1/tasks/101/complete"), tt.Resp)
		return runComplete(t, true, reg, "101")
	})
}
