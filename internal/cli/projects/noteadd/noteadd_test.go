package noteadd

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdAdd(t *testing.T) {
	tests := []struct {
		cli          string
		wantProject  string
		wantTitle    string
		wantBody     string
		wantBodyFile string
		wantUsage    string
	}{
		{cli: "1 --title Go-live --body 'Agreed for March.'", wantProject: "1", wantTitle: "Go-live", wantBody: "Agreed for March."},
		{cli: "p20260105.0001 --title 'Weekly summary' --body-file -", wantProject: "P20260105.0001", wantTitle: "Weekly summary", wantBodyFile: "-"},
		{cli: "1 --body text", wantUsage: "--title is required"},
		{cli: `1 --title "  " --body text`, wantUsage: "--title is required and must not be blank"},
		{cli: "--title T --body B", wantUsage: "projects note add needs a project id or number"},
		{cli: "1 2 --title T --body B", wantUsage: "too many arguments"},
		{cli: "first --title T --body B", wantUsage: `invalid project "first"`},
		{cli: "1 --title T --message B", wantUsage: "unknown flag: --message"},
		{cli: "1 --title", wantUsage: "flag needs an argument"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdAdd, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				assert.Equal(t, tt.wantTitle, got.Title)
				assert.Equal(t, tt.wantBody, got.Body)
				assert.Equal(t, tt.wantBodyFile, got.BodyFile)
			}
		})
	}
}

func note(title, body string) api.Note {
	return api.Note{ID: 55, ProjectID: 1, Title: title, Body: body, Author: "Sam Client",
		CreatedAt: time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)}
}

// runAdd runs the command with stdin as standard input.
func runAdd(t *testing.T, tty bool, reg *httpmock.Registry, stdin, argv string) (string, string, error) {
	t.Helper()
	return clitest.Run(t, NewCmdAdd, reg, argv, clitest.Opts{TTY: tty, Width: 120, Stdin: stdin})
}

// expectNote answers POST .../notes with the note it was sent, recording the body.
func expectNote(t *testing.T, reg *httpmock.Registry, path string, want map[string]any) {
	reg.Register(httpmock.REST("POST", path), httpmock.RESTPayload(201, note(want["title"].(string), want["body"].(string)),
		func(body map[string]any) { assert.Equal(t, want, body, "the request body") }))
}

func TestAddRunOnATerminalConfirms(t *testing.T) {
	reg := clitest.NewRegistry(t)
	expectNote(t, reg, "/v1/projects/P20260105.0001/notes", map[string]any{"title": "Go-live", "body": "Agreed for March."})
	out, errOut, err := runAdd(t, true, reg, "", "p20260105.0001 --title Go-live --body 'Agreed for March.'")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, "✓ Added note 55 \"Go-live\" to project P20260105.0001\n", out)
	assert.Equal(t, "application/json", reg.Requests[0].Header.Get("Content-Type"))
}

func TestAddRunBodyFromStdin(t *testing.T) {
	reg := clitest.NewRegistry(t)
	expectNote(t, reg, "/v1/projects/1/notes", map[string]any{"title": "Weekly summary", "body": "line 1\nline 2\n"})
	out, _, err := runAdd(t, false, reg, "line 1\nline 2\n", "1 --title 'Weekly summary' --body-file - -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.Note](t, out)
	assert.Equal(t, int64(55), got.ID)
	assert.Equal(t, "line 1\nline 2\n", got.Body)
}

func TestAddRunBodyFromFilePipedIsTheRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "note.md")
	require.NoError(t, os.WriteFile(path, []byte("From a file."), 0o600))
	reg := clitest.NewRegistry(t)
	expectNote(t, reg, "/v1/projects/1/notes", map[string]any{"title": "T", "body": "From a file."})
	out, _, err := runAdd(t, false, reg, "", "1 --title T --body-file "+path+" --tz UTC --columns id,title,created_at")
	require.NoError(t, err)
	assert.Equal(t, "id\ttitle\tcreated_at\n55\tT\t2026-03-28T12:00:00Z\n", out, "piped: the record as TSV, no confirmation")
}

// Every usage mistake about the text is caught before anything is sent:
// the registry has no stubs, so any request would fail differently.
func TestAddRunBodyMistakesAreUsageErrorsBeforeAnyCall(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.txt")
	empty := filepath.Join(t.TempDir(), "empty.txt")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	tests := []struct {
		name, stdin, argv, want string
	}{
		{name: "no body", argv: "1 --title T", want: "give the text with --body, or --body-file FILE"},
		{name: "empty body", argv: "1 --title T --body ''", want: "the text is blank"},
		{name: "blank body", argv: "1 --title T --body '  \n'", want: "the text is blank"},
		{name: "empty stdin", argv: "1 --title T --body-file -", want: "the text is blank"},
		{name: "empty file", argv: "1 --title T --body-file " + empty, want: "the text is blank"},
		{name: "both", argv: "1 --title T --body B --body-file -", want: "give --body or --body-file, not both"},
		{name: "missing file", argv: "1 --title T --body-file " + missing, want: "--body-file: open " + missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			out, _, err := runAdd(t, true, reg, tt.stdin, tt.argv)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "%v", err)
			assert.ErrorContains(t, err, tt.want)
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.Empty(t, reg.Requests, "nothing sent")
			assert.Empty(t, out)
		})
	}
}

func TestAddRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("no notes permission", 403, api.CodeForbidden, "your security level does not allow adding notes", cmdutil.ExitForbidden),
		clitest.ErrorRow("read-only portal", 403, api.CodeReadOnly, "the portal is read-only during maintenance", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		{Name: "title too long", Resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{Code: api.CodeInvalidRequest,
			Message: "title is longer than 255 characters", Details: map[string]any{"field": "title"}}}),
			WantExit: cmdutil.ExitRejected, WantErr: "title is longer than 255 characters"},
		clitest.ErrorRow("conflict", 409, api.CodeConflict, "the project was completed meanwhile", cmdutil.ExitRejected),
		clitest.ErrorRow("body too large", 413, api.CodeTooLarge, "request body too large", cmdutil.ExitRejected),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("POST", "/v1/projects/1/notes"), tt.Resp)
		out, errOut, err := runAdd(t, true, reg, "", "1 --title T --body B")
		assert.Len(t, reg.Requests, 1, "a note is never sent twice")
		return out, errOut, err
	})
}

func TestAddRunServerErrorIsNotRetried(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/notes"), httpmock.ErrorResponse(503, api.CodeUnavailable, "try later"))
	_, _, err := runAdd(t, false, reg, "", "1 --title T --body B")
	assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err))
	assert.Equal(t, "the portal is temporarily unavailable; try again later", cmdutil.Hint(err))
	assert.Len(t, reg.Requests, 1)
}
