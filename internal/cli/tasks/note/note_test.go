package note

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

func TestNewCmdNote(t *testing.T) {
	tests := []struct {
		cli         string
		wantTask    string
		wantSubject string
		wantMessage string
		wantUsage   string // part of the usage error
	}{
		{cli: `T20260105.0001 --subject Licences --message "42 confirmed"`, wantTask: "T20260105.0001", wantSubject: "Licences", wantMessage: "42 confirmed"},
		{cli: `100 --message "line 1
line 2" --subject S`, wantTask: "100", wantSubject: "S", wantMessage: "line 1\nline 2"},
		{cli: `100 --message M`, wantUsage: "--subject and --message are both required"},
		{cli: `100 --subject S`, wantUsage: "--subject and --message are both required"},
		{cli: `100 --subject "" --message M`, wantUsage: "--subject and --message are both required"},
		{cli: `100 --subject "   " --message M`, wantUsage: "--subject and --message are both required"},
		{cli: `100 --subject S --message " 	"`, wantUsage: "--subject and --message are both required"},
		{cli: `--subject S --message M`, wantUsage: "tasks note needs a task id or number"},
		{cli: `1 2 --subject S --message M`, wantUsage: "too many arguments"},
		{cli: `P20260105.0001 --subject S --message M`, wantUsage: `invalid task "P20260105.0001"`},
		{cli: `1 --subject S --message M --body x`, wantUsage: "unknown flag: --body"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdNote, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantTask, got.Task)
				assert.Equal(t, tt.wantSubject, got.Subject)
				assert.Equal(t, tt.wantMessage, got.Message)
			}
		})
	}
}

var added = api.TaskNote{ID: 7, TaskID: 100, Subject: "Licences", Body: "42 confirmed", Author: "Jane Doe",
	CreatedAt: time.Date(2026, 1, 6, 14, 0, 0, 0, time.UTC)}

var runNote = clitest.Runner(NewCmdNote, 120)

// sent records the JSON body of the POST so the test can check it.
func postNote(t *testing.T, reg *httpmock.Registry, path string, want map[string]any) {
	reg.Register(httpmock.REST("POST", path), httpmock.RESTPayload(201, added, func(body map[string]any) {
		assert.Equal(t, want, body)
	}))
}

func TestNoteRunOnATerminalConfirms(t *testing.T) {
	reg := clitest.NewRegistry(t)
	postNote(t, reg, "/v1/tasks/T20260105.0001/notes", map[string]any{"subject": "Licences", "body": "42 confirmed"})
	out, errOut, err := runNote(t, true, reg, `t20260105.0001 --subject Licences --message "42 confirmed"`)
	require.NoError(t, err)
	assert.Equal(t, "✓ Added note 7 to task T20260105.0001\n", out)
	assert.Empty(t, errOut)
	assert.Equal(t, "application/json", reg.Requests[0].Header.Get("Content-Type"))
}

func TestNoteRunPipedPrintsTheNote(t *testing.T) {
	reg := clitest.NewRegistry(t)
	postNote(t, reg, "/v1/tasks/100/notes", map[string]any{"subject": "Licences", "body": "42 confirmed\nthanks"})
	out, _, err := runNote(t, false, reg, `100 --subject Licences --message "42 confirmed
thanks" -o json`)
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.TaskNote](t, out)
	assert.Equal(t, added, got)
}

func TestNoteRunPipedTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	postNote(t, reg, "/v1/tasks/100/notes", map[string]any{"subject": "Licences", "body": "42 confirmed"})
	out, _, err := runNote(t, false, reg, `100 --subject Licences --message "42 confirmed" --tz UTC --columns id,task_id,subject`)
	require.NoError(t, err)
	assert.Equal(t, "id\ttask_id\tsubject\n7\t100\tLicences\n", out)
}

func TestNoteRunUsageErrorsSendNothing(t *testing.T) {
	for _, argv := range []string{`100 --subject " " --message M`, `100 --subject S`, `--subject S --message M`, `x --subject S --message M`} {
		t.Run(argv, func(t *testing.T) {
			reg := clitest.NewRegistry(t) // no stubs: any request would fail with exit 1
			out, _, err := runNote(t, true, reg, argv)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
			assert.Empty(t, reg.Requests)
			assert.Empty(t, out)
		})
	}
}

func TestNoteRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("no such task", 404, api.CodeNotFound, "task not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("end-client task is read-only", 403, api.CodeReadOnly, "end-client projects are read-only: you cannot add task notes", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token revoked", cmdutil.ExitNotAuthed),
		{Name: "subject too long", Resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: api.Invalid("subject", "subject is longer than 250 characters")}),
			WantExit: cmdutil.ExitRejected, WantErr: "subject is longer than 250 characters"},
		clitest.ErrorRow("completed task", 409, api.CodeConflict, "the task is complete", cmdutil.ExitRejected),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("POST", "/v1/tasks/100/notes"), tt.Resp)
		out, errOut, err := runNote(t, true, reg, "100 --subject S --message M")
		assert.Len(t, reg.Requests, 1, "a note is never sent twice")
		return out, errOut, err
	})
}
