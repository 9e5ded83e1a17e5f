package list

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

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantLimit   int
		wantUsage   string
	}{
		{cli: "--project 1", wantProject: "1", wantLimit: 30},
		{cli: "--project p20260105.0001 -L 10", wantProject: "P20260105.0001", wantLimit: 10},
		{cli: "--project 1 --all", wantProject: "1", wantLimit: 0},
		{cli: "", wantUsage: "--project is required"},
		{cli: "--project", wantUsage: "flag needs an argument"},
		{cli: "--project Office", wantUsage: `--project: invalid project "Office"`},
		{cli: "1", wantUsage: `unexpected argument "1"`},
		{cli: "--project 1 extra", wantUsage: `unexpected argument "extra"`},
		{cli: "--project 1 --limit 0", wantUsage: "invalid --limit 0"},
		{cli: "--project 1 --all -L 2", wantUsage: "specify only one of --limit and --all"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdList(&factory.Factory{IOStreams: ios}, func(o *Options) error {
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

func ptr[T any](v T) *T { return &v }

var issues = []api.Task{
	{ID: 700, Number: "T20260301.0007", Title: "Printer offline", Description: "Floor 2\tnear the kitchen", Status: "new",
		Priority: ptr("high"), IsIssue: true, ProjectID: 1, ProjectNumber: "P20260105.0001", ProjectName: "Office 365 migration",
		ContactName: ptr("Sam Client"), CreatedAt: ptr(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))},
	{ID: 701, Number: "T20260302.0001", Title: "VPN drops", Status: "complete", IsIssue: true, ProjectID: 1,
		ProjectNumber: "P20260105.0001", AssignedResource: ptr("Alex Admin"), DueDate: ptr(api.Date("2026-03-09"))},
}

func runList(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(120)
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdList(f, nil)
	args, _ := shlex.Split(argv)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true // as the root command does
	_, err := cmd.ExecuteContextC(context.Background())
	return out.String(), errOut.String(), err
}

func meStub(reg *httpmock.Registry) {
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{Organization: api.Organization{TimeZone: "America/Chicago"}}))
}

func TestListRunOnATerminal(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/P20260105.0001/issues", url.Values{"limit": {"30"}}),
		httpmock.ListResponse(issues, ""))
	out, errOut, err := runList(t, true, reg, "--project P20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID +NUMBER +TITLE +STATUS +PRIORITY +PROJECT +ASSIGNED +DUE$`, lines[0])
	assert.Regexp(t, `^700 +T20260301\.0007 +Printer offline +new +high +P20260105\.0001$`, lines[1])
	assert.Regexp(t, `^701 +T20260302\.0001 +VPN drops +complete +P20260105\.0001 +Alex Admin +2026-03-09$`, lines[2])
}

func TestListRunPipedTSVEscapesTabs(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/issues", url.Values{"limit": {"1"}}),
		httpmock.ListResponse(issues[:1], "next"))
	out, _, err := runList(t, false, reg, "--project 1 -L 1 --tz UTC --columns number,description,created_at")
	require.NoError(t, err)
	assert.Equal(t, "number\tdescription\tcreated_at\nT20260301.0007\tFloor 2\\tnear the kitchen\t2026-03-01T08:00:00Z\n", out)
}

func TestListRunPipedCSV(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ListResponse(issues, ""))
	out, _, err := runList(t, false, reg, "--project 1 -o csv --columns number,priority,contact_name,created_at")
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"number", "priority", "contact_name", "created_at"},
		{"T20260301.0007", "high", "Sam Client", "2026-03-01T02:00:00-06:00"},
		{"T20260302.0001", "", "", ""},
	}, rows)
}

func TestListRunJSONWithJQ(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ListResponse(issues, ""))
	out, _, err := runList(t, false, reg, `--project 1 --jq '.[] | select(.status != "complete") | .title'`)
	require.NoError(t, err)
	assert.Equal(t, "\"Printer offline\"\n", out)
}

func TestListRunJSON(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ListResponse(issues, ""))
	out, _, err := runList(t, false, reg, "--project 1 -o json")
	require.NoError(t, err)
	var got []api.Task
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, issues, got)
}

func TestListRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		code     string
		message  string
		wantExit int
	}{
		{"not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound},
		{"forbidden", 403, api.CodeForbidden, "you are not on this project's team", cmdutil.ExitForbidden},
		{"token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", "/v1/projects/4/issues"), httpmock.ErrorResponse(tt.status, tt.code, tt.message))
			out, errOut, err := runList(t, false, reg, "--project 4 -o json")
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err))
			assert.Equal(t, tt.message, err.Error())
			assert.Empty(t, out)
			assert.Empty(t, errOut)
		})
	}
}
