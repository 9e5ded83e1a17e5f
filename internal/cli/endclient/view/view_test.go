package view

import (
	"context"
	"encoding/json"
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

func TestNewCmdView(t *testing.T) {
	tests := []struct {
		cli          string
		wantProject  string
		wantSchedule bool
		wantUsage    string
	}{
		{cli: "P20260201.0005", wantProject: "P20260201.0005"},
		{cli: "5 --schedule", wantProject: "5", wantSchedule: true},
		{cli: "", wantUsage: "endclient view needs a project id or number"},
		{cli: "--schedule", wantUsage: "endclient view needs a project id or number"},
		{cli: "5 6", wantUsage: "too many arguments"},
		{cli: "T20260105.0001", wantUsage: `invalid project "T20260105.0001"`},
		{cli: "5 --web", wantUsage: "unknown flag: --web"},
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
			if tt.wantUsage != "" {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
				assert.ErrorContains(t, err, tt.wantUsage)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantProject, got.Project)
			assert.Equal(t, tt.wantSchedule, got.Schedule)
		})
	}
}

func ptr[T any](v T) *T { return &v }

var project = api.EndClientProject{Project: api.Project{ID: 5, Number: "P20260201.0005", Name: "Dental chairs network",
	Status: "in_progress", OrganizationID: 300, OrganizationName: "Tailspin Dental", StartDate: ptr(api.Date("2026-02-01")),
	Lead: ptr("Sam Tech")}, BilledHours: api.NewDecimal(12, 50)}

var tree = api.Schedule{ProjectID: 5, Items: []api.ScheduleItem{
	{Kind: "phase", ID: 1, Outline: "1", Title: "Cabling", Children: []api.ScheduleItem{
		{Kind: "task", ID: 10, Outline: "1.1", Title: "Pull cables", Number: ptr("T20260201.0010"), Status: ptr("complete"),
			DueDate: ptr(api.Date("2026-02-10"))},
	}},
	{Kind: "task", ID: 11, Outline: "2", Title: "Switch install", Number: ptr("T20260201.0011"), Status: ptr("new")},
}}

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
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/P20260201.0005"), httpmock.JSONResponse(project))
	out, errOut, err := runView(t, true, reg, "p20260201.0005")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	for _, line := range []string{
		"number:            P20260201.0005",
		"name:              Dental chairs network",
		"organization_name: Tailspin Dental",
		"start_date:        2026-02-01",
		"lead:              Sam Tech",
		"billed_hours:      12.50",
	} {
		assert.Contains(t, out, line+"\n")
	}
}

func TestViewRunJSONIsOneObject(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5"), httpmock.JSONResponse(project))
	out, _, err := runView(t, false, reg, "5 -o json")
	require.NoError(t, err)
	var got api.EndClientProject
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, project, got)
}

func TestViewRunPipedTSVOneRow(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5"), httpmock.JSONResponse(project))
	out, _, err := runView(t, false, reg, "5 --columns number,status,billed_hours")
	require.NoError(t, err)
	assert.Equal(t, "number\tstatus\tbilled_hours\nP20260201.0005\tin_progress\t12.50\n", out)
}

func TestViewRunScheduleJSONIsTheTree(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5/schedule"), httpmock.JSONResponse(tree))
	out, _, err := runView(t, false, reg, "5 --schedule -o json")
	require.NoError(t, err)
	var got api.Schedule
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, tree, got)
}

func TestViewRunScheduleFlattenedTSV(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	meStub(reg)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5/schedule"), httpmock.JSONResponse(tree))
	out, _, err := runView(t, false, reg, "5 --schedule --columns outline,kind,title,number,due_date")
	require.NoError(t, err)
	assert.Equal(t, "outline\tkind\ttitle\tnumber\tdue_date\n"+
		"1\tphase\tCabling\t\t\n"+
		"1.1\ttask\tPull cables\tT20260201.0010\t2026-02-10\n"+
		"2\ttask\tSwitch install\tT20260201.0011\t\n", out)
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
		{name: "not an end-client project", argv: "1", path: "/v1/end-client/projects/1",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), wantExit: cmdutil.ExitNotFound, wantErr: "project not found"},
		{name: "schedule of no such project", argv: "1 --schedule", path: "/v1/end-client/projects/1/schedule",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), wantExit: cmdutil.ExitNotFound, wantErr: "project not found"},
		{name: "not a billing organization", argv: "5", path: "/v1/end-client/projects/5",
			resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			wantExit: cmdutil.ExitForbidden, wantErr: "your organization is not the billing organization on any contract"},
		{name: "token rejected", argv: "5", path: "/v1/end-client/projects/5",
			resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", tt.path), tt.resp)
			out, errOut, err := runView(t, false, reg, tt.argv+" -o json")
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.Empty(t, out)
			assert.Empty(t, errOut)
		})
	}
}
