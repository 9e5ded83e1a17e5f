package view

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

func TestNewCmdView(t *testing.T) {
	tests := []struct {
		cli       string
		wantTask  string
		wantNotes bool
		wantUsage bool
	}{
		{cli: "T20260105.0001", wantTask: "T20260105.0001"},
		{cli: "t20260105.0001", wantTask: "T20260105.0001"},
		{cli: "100 --notes", wantTask: "100", wantNotes: true},
		{cli: "", wantUsage: true},
		{cli: "--notes", wantUsage: true},
		{cli: "1 2", wantUsage: true},
		{cli: "-- -3", wantUsage: true},
		{cli: "P20260105.0001", wantUsage: true},
		{cli: "../1", wantUsage: true},
		{cli: "1 --nope", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdView(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			cmd.SetOut(&strings.Builder{})
			cmd.SetErr(&strings.Builder{})
			_, err := cmd.ExecuteC()
			if tt.wantUsage {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantTask, got.Task)
			assert.Equal(t, tt.wantNotes, got.Notes)
		})
	}
}

func ptr[T any](v T) *T { return &v }

var task = api.Task{ID: 100, Number: "T20260105.0001", Title: "Confirm licence count", Status: "waiting_customer",
	Description: "How many E3 licences?\nPlease confirm.", ProjectID: 1, ProjectNumber: "P20260105.0001",
	ProjectName: "Office 365 migration", AssignedResource: ptr("Sam Tech"), DueDate: ptr(api.Date("2026-02-01")),
	CreatedAt: ptr(time.Date(2026, 1, 5, 15, 30, 0, 0, time.UTC))}

var notes = []api.TaskNote{
	{ID: 7, TaskID: 100, Subject: "Licences", Body: "42 confirmed", Author: "Jane Doe", CreatedAt: time.Date(2026, 1, 6, 14, 0, 0, 0, time.UTC)},
	{ID: 8, TaskID: 100, Subject: "Follow-up", Body: "and 3 more", Author: "Sam Tech", CreatedAt: time.Date(2026, 1, 7, 9, 15, 0, 0, time.UTC)},
}

func runView(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdView(f, nil)
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

func TestViewRunOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/tasks/T20260105.0001"), httpmock.JSONResponse(task))
	out, errOut, err := runView(t, true, reg, "t20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	for _, line := range []string{
		"number:             T20260105.0001",
		"title:              Confirm licence count",
		"description:        How many E3 licences?\n                    Please confirm.",
		"project_name:       Office 365 migration",
		"due_date:           2026-02-01",
		"created_at:         2026-01-05 09:30 CST", // the organization's zone
	} {
		assert.Contains(t, out, line+"\n")
	}
}

func TestViewRunJSONIsOneObject(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/100"), httpmock.JSONResponse(task))
	out, _, err := runView(t, false, reg, "100 -o json")
	require.NoError(t, err)
	var got api.Task
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, task, got)
	assert.Contains(t, out, `"created_at":"2026-01-05T15:30:00Z"`, "JSON keeps UTC")
}

func TestViewRunNotesPipedTSV(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/tasks/100/notes"), httpmock.ListResponse(notes, ""))
	out, errOut, err := runView(t, false, reg, "100 --notes")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, "id\tsubject\tauthor\tcreated_at\n"+
		"7\tLicences\tJane Doe\t2026-01-06T08:00:00-06:00\n"+
		"8\tFollow-up\tSam Tech\t2026-01-07T03:15:00-06:00\n", out)
}

func TestViewRunNotesOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{} // --tz chooses the zone: no /v1/me lookup
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/100/notes"), httpmock.ListResponse(notes, ""))
	out, _, err := runView(t, true, reg, "100 --notes --tz UTC")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	for _, h := range []string{"ID", "SUBJECT", "AUTHOR", "CREATED"} {
		assert.Contains(t, lines[0], h)
	}
	assert.Contains(t, lines[1], "Licences")
	assert.Contains(t, lines[2], "2026-01-07 09:15 UTC")
}

func TestViewRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		argv     string
		path     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "no such task", argv: "999 -o json", path: "/v1/tasks/999",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"), wantExit: cmdutil.ExitNotFound, wantErr: "task not found"},
		{name: "notes of no such task", argv: "999 --notes -o json", path: "/v1/tasks/999/notes",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"), wantExit: cmdutil.ExitNotFound, wantErr: "task not found"},
		{name: "token rejected", argv: "1 -o json", path: "/v1/tasks/1",
			resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired"},
		{name: "forbidden", argv: "1 -o json", path: "/v1/tasks/1",
			resp: httpmock.ErrorResponse(403, api.CodeForbidden, "your contact is disabled"), wantExit: cmdutil.ExitForbidden, wantErr: "your contact is disabled"},
		{name: "server error page", argv: "1 -o json", path: "/v1/tasks/1",
			resp: httpmock.StatusStringResponse(500, "<html>oops</html>"), wantExit: cmdutil.ExitError,
			wantErr: "HTTP 500 Internal Server Error (https://portal.test/v1/tasks/1)"},
		{name: "unknown column", argv: "1 -o json --columns nope", path: "/v1/tasks/1",
			resp: httpmock.JSONResponse(task), wantExit: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", tt.path), tt.resp)
			out, errOut, err := runView(t, false, reg, tt.argv)
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			if tt.wantErr != "" {
				assert.Equal(t, tt.wantErr, err.Error())
			}
			assert.NotContains(t, err.Error(), "\n", "one line on stderr")
			assert.Empty(t, out)
			assert.Empty(t, errOut)
		})
	}
}
