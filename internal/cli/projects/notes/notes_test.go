package notes

import (
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdNotes(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantLimit   int
		wantUsage   string
	}{
		{cli: "1", wantProject: "1", wantLimit: 30},
		{cli: "p20260105.0001 -L 5", wantProject: "P20260105.0001", wantLimit: 5},
		{cli: "1 --all", wantProject: "1", wantLimit: 0},
		{cli: "", wantUsage: "projects notes needs a project id or number"},
		{cli: "1 2", wantUsage: "too many arguments"},
		{cli: "notes", wantUsage: `invalid project "notes"`},
		{cli: "1 --limit 0", wantUsage: "invalid --limit 0"},
		{cli: "1 --limit -3", wantUsage: "invalid --limit -3"},
		{cli: "1 --all -L 3", wantUsage: "specify only one of --limit and --all"},
		{cli: "1 --limit many", wantUsage: "invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdNotes, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

var notes = []api.Note{
	{ID: 5, ProjectID: 1, Title: "Go-live", Body: "Agreed for March.\nBackup first.", Author: "Alex Admin",
		CreatedAt: time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)},
	{ID: 6, ProjectID: 1, Title: "=HYPERLINK(\"x\")", Body: "", Author: "Sam Client",
		CreatedAt: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)},
}

var runNotes = clitest.Runner(NewCmdNotes, 120)

func TestNotesRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/P20260105.0001/notes", url.Values{"limit": {"31"}}),
		httpmock.ListResponse(notes, ""))
	out, errOut, err := runNotes(t, true, reg, "P20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID +TITLE +AUTHOR +CREATED$`, lines[0])
	// 15:04 UTC is 09:04 in Chicago (CST) on 2 March.
	assert.Regexp(t, `^5 +Go-live +Alex Admin +2026-03-02 09:04`, lines[1])
	assert.NotContains(t, out, "Agreed for March", "the body is not a table column")
}

func TestNotesRunPipedCSVCarriesTheBody(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/notes", url.Values{"limit": {"6"}}),
		httpmock.ListResponse(notes, ""))
	out, _, err := runNotes(t, false, reg, "1 -L 5 -o csv")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{
		{"id", "project_id", "title", "body", "author", "created_at"},
		{"5", "1", "Go-live", "Agreed for March.\nBackup first.", "Alex Admin", "2026-03-02T09:04:00-06:00"},
		{"6", "1", "'=HYPERLINK(\"x\")", "", "Sam Client", "2026-03-03T03:00:00-06:00"},
	}, rows, "a formula-looking title is neutralised")
}

func TestNotesRunPipedTSVByDefault(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/notes"), httpmock.ListResponse(notes[:1], ""))
	out, _, err := runNotes(t, false, reg, "1 --tz UTC")
	require.NoError(t, err)
	assert.Equal(t, "id\ttitle\tauthor\tcreated_at\n5\tGo-live\tAlex Admin\t2026-03-02T15:04:00Z\n", out)
}

func TestNotesRunAllFollowsTheCursor(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/notes", url.Values{"limit": {"500"}, "cursor": nil}),
		httpmock.ListResponse(notes[:1], "c2"))
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/notes", url.Values{"limit": {"500"}, "cursor": {"c2"}}),
		httpmock.ListResponse(notes[1:], ""))
	out, _, err := runNotes(t, false, reg, "1 --all -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.Note](t, out)
	require.Len(t, got, 2)
	assert.Equal(t, int64(5), got[0].ID)
	assert.Equal(t, "Agreed for March.\nBackup first.", got[0].Body)
	assert.Equal(t, int64(6), got[1].ID)
}

func TestNotesRunJSONIsEmptyArray(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/notes"), httpmock.ListResponse([]api.Note{}, ""))
	out, _, err := runNotes(t, false, reg, "1 -o json")
	require.NoError(t, err)
	assert.Equal(t, "[]\n", out)
}

func TestNotesRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("no notes permission", 403, api.CodeForbidden, "your security level does not allow viewing project notes", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token revoked", cmdutil.ExitNotAuthed),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/projects/3/notes"), tt.Resp)
		return runNotes(t, false, reg, "3 -o json")
	})
}

func TestNotesRunFailureRemovesThePartialOutputFile(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/notes"), httpmock.ListResponse(notes[:1], "c2"))
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/notes", url.Values{"cursor": {"c2"}}),
		httpmock.ErrorResponse(503, api.CodeUnavailable, "the portal is restarting"))
	dir := t.TempDir()
	_, _, err := runNotes(t, false, reg, "1 --all -o json --output-file "+dir+"/notes.json")
	assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err))
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "neither notes.json nor its temporary file is left")
}
