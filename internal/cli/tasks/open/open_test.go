package open

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
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
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdOpen(&factory.Factory{IOStreams: ios}, func(o *Options) error {
				got = o
				_, err := o.Limit.Value()
				return err
			})
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
			assert.Equal(t, tt.wantProject, got.Project)
			limit, _ := got.Limit.Value()
			assert.Equal(t, tt.wantLimit, limit)
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

func runOpen(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdOpen(f, nil)
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

func TestOpenRunOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse(tasks, ""))
	out, errOut, err := runOpen(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
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
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/tasks/open", url.Values{"project": {"P20260105.0001"}, "limit": {"5"}}),
		httpmock.ListResponse(tasks, ""))
	out, errOut, err := runOpen(t, false, reg, "--project p20260105.0001 -L 5 --columns number,title,status")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, "number\ttitle\tstatus\n"+
		"T20260105.0001\tConfirm licence count\twaiting_customer\n"+
		"T20260105.0002\tSign off cut-over\\tplan\tin_progress\n", out)
}

func TestOpenRunJSONFollowsPages(t *testing.T) {
	reg := &httpmock.Registry{} // no /v1/me: JSON needs no time zone
	defer reg.Verify(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/tasks/open", url.Values{"limit": {"500"}}),
		httpmock.ListResponse(tasks[:1], "c1"))
	reg.Register(httpmock.QueryMatcher("GET", "/v1/tasks/open", url.Values{"cursor": {"c1"}}),
		httpmock.ListResponse(tasks[1:], ""))
	out, _, err := runOpen(t, false, reg, "--all -o json")
	require.NoError(t, err)
	var got []api.Task
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, tasks, got)
}

func TestOpenRunNoTasksIsEmptyJSONArray(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse([]api.Task{}, ""))
	out, _, err := runOpen(t, false, reg, "-o json")
	require.NoError(t, err)
	assert.Equal(t, "[]\n", out)
}

func TestOpenRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		argv     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "unknown project", argv: "--project 999 -o json", resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"),
			wantExit: cmdutil.ExitNotFound, wantErr: "project not found"},
		{name: "token rejected", argv: "-o json", resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"),
			wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired"},
		{name: "forbidden", argv: "-o json", resp: httpmock.ErrorResponse(403, api.CodeForbidden, "your contact is disabled"),
			wantExit: cmdutil.ExitForbidden, wantErr: "your contact is disabled"},
		{name: "bad cursor", argv: "-o json", resp: httpmock.ErrorResponse(400, api.CodeInvalidCursor, "invalid cursor"),
			wantExit: cmdutil.ExitRejected, wantErr: "invalid cursor"},
		{name: "bad output format", argv: "-o xml", wantExit: cmdutil.ExitUsage,
			wantErr: `invalid value "xml" for --output; choose one of: table, csv, tsv, json, ndjson`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			if tt.resp != nil {
				reg.Register(httpmock.REST("GET", "/v1/tasks/open"), tt.resp)
			}
			out, errOut, err := runOpen(t, false, reg, tt.argv)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			require.Error(t, err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.NotContains(t, err.Error(), "\n", "one line on stderr")
			assert.Empty(t, out, "nothing on stdout when the command fails")
			assert.Empty(t, errOut, "the error is printed once, by cli.Run")
		})
	}
}
