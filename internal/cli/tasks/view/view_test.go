package view

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
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
			if got := clitest.ParseRowAnyUsage(t, NewCmdView, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantTask, got.Task)
				assert.Equal(t, tt.wantNotes, got.Notes)
			}
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

var runView = clitest.Runner(NewCmdView, 120)

func TestViewRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
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
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/100"), httpmock.JSONResponse(task))
	out, _, err := runView(t, false, reg, "100 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.Task](t, out)
	assert.Equal(t, task, got)
	assert.Contains(t, out, `"created_at":"2026-01-05T15:30:00Z"`, "JSON keeps UTC")
}

func TestViewRunNotesPipedTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/tasks/100/notes"), httpmock.ListResponse(notes, ""))
	out, errOut, err := runView(t, false, reg, "100 --notes")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, "id\tsubject\tauthor\tcreated_at\n"+
		"7\tLicences\tJane Doe\t2026-01-06T08:00:00-06:00\n"+
		"8\tFollow-up\tSam Tech\t2026-01-07T03:15:00-06:00\n", out)
}

func TestViewRunNotesOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t) // --tz chooses the zone: no /v1/me lookup
	reg.Register(httpmock.REST("GET", "/v1/tasks/100/notes"), httpmock.ListResponse(notes, ""))
	out, _, err := runView(t, true, reg, "100 --notes --tz UTC")
	require.NoError(t, err)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	for _, h := range []string{"ID", "SUBJECT", "AUTHOR", "CREATED"} {
		assert.Contains(t, lines[0], h)
	}
	assert.Contains(t, lines[1], "Licences")
	assert.Contains(t, lines[2], "2026-01-07 09:15 UTC")
}

func TestViewRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		{Name: "no such task", Argv: "999 -o json", Path: "/v1/tasks/999",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"), WantExit: cmdutil.ExitNotFound, WantErr: "task not found"},
		{Name: "notes of no such task", Argv: "999 --notes -o json", Path: "/v1/tasks/999/notes",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"), WantExit: cmdutil.ExitNotFound, WantErr: "task not found"},
		{Name: "token rejected", Argv: "1 -o json", Path: "/v1/tasks/1",
			Resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), WantExit: cmdutil.ExitNotAuthed, WantErr: "token expired"},
		{Name: "forbidden", Argv: "1 -o json", Path: "/v1/tasks/1",
			Resp: httpmock.ErrorResponse(403, api.CodeForbidden, "your contact is disabled"), WantExit: cmdutil.ExitForbidden, WantErr: "your contact is disabled"},
		{Name: "server error page", Argv: "1 -o json", Path: "/v1/tasks/1",
			Resp: httpmock.StatusStringResponse(500, "<html>oops</html>"), WantExit: cmdutil.ExitError,
			WantErr: "HTTP 500 Internal Server Error (https://portal.test/v1/tasks/1)"},
		{Name: "unknown column", Argv: "1 -o json --columns nope", Path: "/v1/tasks/1",
			Resp: httpmock.JSONResponse(task), WantExit: cmdutil.ExitUsage},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", tt.Path), tt.Resp)
		return runView(t, false, reg, tt.Argv)
	})
}
