package attachments

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

func TestNewCmdAttachments(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantLimit   int
		wantUsage   string
	}{
		{cli: "1", wantProject: "1", wantLimit: 30},
		{cli: "P20260105.0001 --limit 2", wantProject: "P20260105.0001", wantLimit: 2},
		{cli: "1 --all", wantProject: "1", wantLimit: 0},
		{cli: "", wantUsage: "projects attachments needs a project id or number"},
		{cli: "1 900", wantUsage: "too many arguments"},
		{cli: "plan.txt", wantUsage: `invalid project "plan.txt"`},
		{cli: "1 -L 0", wantUsage: "invalid --limit 0"},
		{cli: "1 --all --limit 9", wantUsage: "specify only one of --limit and --all"},
		{cli: "1 -O x", wantUsage: "unknown shorthand flag"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdAttachments, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

var taskID = int64(101)

var attachments = []api.Attachment{
	{ID: 900, ProjectID: 1, Name: "cut-over plan.txt", ContentType: "text/plain", Size: 1234,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", CreatedAt: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)},
	{ID: 901, ProjectID: 1, TaskID: &taskID, Name: "Angebot März.pdf", ContentType: "application/pdf", Size: 2048000,
		SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", CreatedAt: time.Date(2026, 2, 2, 8, 30, 0, 0, time.UTC)},
}

var runAttachments = clitest.Runner(NewCmdAttachments, 120)

func TestAttachmentsRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "Europe/Berlin")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/P20260105.0001/attachments", url.Values{"limit": {"31"}}),
		httpmock.ListResponse(attachments, ""))
	out, errOut, err := runAttachments(t, true, reg, "p20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID +TASK ID +NAME +TYPE +SIZE +CREATED$`, lines[0])
	assert.Regexp(t, `^900 +cut-over plan\.txt +text/plain +1234 +2026-02-01 13:00`, lines[1])
	assert.Regexp(t, `^901 +101 +Angebot März\.pdf +application/pdf +2048000 +2026-02-02 09:30`, lines[2])
}

func TestAttachmentsRunPipedCSVHasTheChecksum(t *testing.T) {
	reg := clitest.NewRegistry(t)
	// Two rows asked for: three fetched, the third only says there are more.
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/attachments", url.Values{"limit": {"3"}}),
		httpmock.ListResponse(append(attachments, api.Attachment{ID: 902, Name: "not shown"}), "more"))
	out, _, err := runAttachments(t, false, reg, "1 -L 2 -o csv --tz UTC --columns id,name,size,sha256")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{
		{"id", "name", "size", "sha256"},
		{"900", "cut-over plan.txt", "1234", attachments[0].SHA256},
		{"901", "Angebot März.pdf", "2048000", attachments[1].SHA256},
	}, rows, "the limit is reached: the next page is not fetched")
}

func TestAttachmentsRunJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/attachments"), httpmock.ListResponse(attachments, ""))
	out, _, err := runAttachments(t, false, reg, "1 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.Attachment](t, out)
	assert.Equal(t, attachments, got)
}

func TestAttachmentsRunJQSelects(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/attachments"), httpmock.ListResponse(attachments, ""))
	out, _, err := runAttachments(t, false, reg, "1 --jq '.[] | select(.size > 1000000) | .name'")
	require.NoError(t, err)
	assert.Equal(t, "Angebot März.pdf\n", out)
}

func TestAttachmentsRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("no attachments permission", 403, api.CodeForbidden, "your security level does not allow viewing attachments", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		clitest.ErrorRow("tampered cursor", 400, api.CodeInvalidCursor, "invalid cursor", cmdutil.ExitRejected),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/projects/1/attachments"), tt.Resp)
		return runAttachments(t, false, reg, "1 --tz UTC")
	})
}
