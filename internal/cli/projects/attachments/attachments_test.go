package attachments

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
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
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdAttachments(&factory.Factory{IOStreams: ios}, func(o *Options) error {
				got = o
				_, err := o.Limit.Value()
				return err
			})
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			_, err := cmd.ExecuteC()
			if tt.wantUsage != "" {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
				assert.ErrorContains(t, err, tt.wantUsage)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantProject, got.Project)
			limit, _ := got.Limit.Value()
			assert.Equal(t, tt.wantLimit, limit)
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

func runAttachments(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdAttachments(f, nil)
	args, _ := shlex.Split(argv)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true // as the root command does
	_, err := cmd.ExecuteContextC(context.Background())
	return out.String(), errOut.String(), err
}

func meStub(reg *httpmock.Registry) {
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{Organization: api.Organization{TimeZone: "Europe/Berlin"}}))
}

func TestAttachmentsRunOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/P20260105.0001/attachments", url.Values{"limit": {"30"}}),
		httpmock.ListResponse(attachments, ""))
	out, errOut, err := runAttachments(t, true, reg, "p20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID +TASK ID +NAME +TYPE +SIZE +CREATED$`, lines[0])
	assert.Regexp(t, `^900 +cut-over plan\.txt +text/plain +1234 +2026-02-01 13:00`, lines[1])
	assert.Regexp(t, `^901 +101 +Angebot März\.pdf +application/pdf +2048000 +2026-02-02 09:30`, lines[2])
}

func TestAttachmentsRunPipedCSVHasTheChecksum(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/attachments", url.Values{"limit": {"2"}}),
		httpmock.ListResponse(attachments, "more"))
	out, _, err := runAttachments(t, false, reg, "1 -L 2 -o csv --tz UTC --columns id,name,size,sha256")
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"id", "name", "size", "sha256"},
		{"900", "cut-over plan.txt", "1234", attachments[0].SHA256},
		{"901", "Angebot März.pdf", "2048000", attachments[1].SHA256},
	}, rows, "the limit is reached: the next page is not fetched")
}

func TestAttachmentsRunJSON(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/attachments"), httpmock.ListResponse(attachments, ""))
	out, _, err := runAttachments(t, false, reg, "1 -o json")
	require.NoError(t, err)
	var got []api.Attachment
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, attachments, got)
}

func TestAttachmentsRunJQSelects(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/attachments"), httpmock.ListResponse(attachments, ""))
	out, _, err := runAttachments(t, false, reg, "1 --jq '.[] | select(.size > 1000000) | .name'")
	require.NoError(t, err)
	assert.Equal(t, "\"Angebot März.pdf\"\n", out)
}

func TestAttachmentsRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		code     string
		message  string
		wantExit int
	}{
		{"not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound},
		{"no attachments permission", 403, api.CodeForbidden, "your security level does not allow viewing attachments", cmdutil.ExitForbidden},
		{"token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed},
		{"tampered cursor", 400, api.CodeInvalidCursor, "invalid cursor", cmdutil.ExitRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", "/v1/projects/1/attachments"), httpmock.ErrorResponse(tt.status, tt.code, tt.message))
			out, errOut, err := runAttachments(t, false, reg, "1 --tz UTC")
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err))
			assert.Equal(t, tt.message, err.Error())
			assert.Empty(t, errOut)
			assert.Empty(t, out, "no header without rows")
		})
	}
}
