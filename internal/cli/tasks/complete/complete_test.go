package complete

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
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
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdComplete(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
			argv, _ := shlex.Split(tt.cli)
			if strings.HasPrefix(tt.cli, " ") {
				argv = []string{tt.cli} // an argument with spaces around it, as from a script
			}
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

func runComplete(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdComplete(f, nil)
	args, _ := shlex.Split(argv)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	// As under the root command: errors are returned, printed once by cli.Run.
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	_, err := cmd.ExecuteContextC(context.Background())
	return out.String(), errOut.String(), err
}

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
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
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
		var got api.CompleteResult
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, result(already), got)
		assert.Contains(t, out, `"already_complete":`)
		reg.Verify(t)
	}
}

func TestCompleteRunPipedTSVShowsAlreadyComplete(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{Organization: api.Organization{TimeZone: "America/New_York"}}))
	reg.Register(httpmock.REST("POST", "/v1/tasks/101/complete"), httpmock.JSONResponse(result(true)))
	out, _, err := runComplete(t, false, reg, "101 --columns number,status,completed_at,already_complete")
	require.NoError(t, err)
	assert.Equal(t, "number\tstatus\tcompleted_at\talready_complete\n"+
		"T20260105.0002\tcomplete\t2026-01-08T11:00:00-05:00\ttrue\n", out)
}

func TestCompleteRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "not the contact", resp: httpmock.ErrorResponse(403, api.CodeForbidden, "you are not the contact of task T20260105.0002"),
			wantExit: cmdutil.ExitForbidden, wantErr: "you are not the contact of task T20260105.0002"},
		{name: "end-client task", resp: httpmock.ErrorResponse(403, api.CodeReadOnly, "end-client projects are read-only"),
			wantExit: cmdutil.ExitForbidden, wantErr: "end-client projects are read-only"},
		{name: "no such task", resp: httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"),
			wantExit: cmdutil.ExitNotFound, wantErr: "task not found"},
		{name: "token rejected", resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"),
			wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired"},
		{name: "conflict", resp: httpmock.ErrorResponse(409, api.CodeConflict, "the project is complete"),
			wantExit: cmdutil.ExitRejected, wantErr: "the project is complete"},
		{name: "rate limited", resp: httpmock.ErrorResponse(429, api.CodeRateLimited, "too many requests"),
			wantExit: cmdutil.ExitRateLimited, wantErr: "too many requests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("POST", "/v1/tasks/101/complete"), tt.resp)
			out, errOut, err := runComplete(t, true, reg, "101")
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.Empty(t, out, "no confirmation when nothing was completed")
			assert.Empty(t, errOut)
		})
	}
}
