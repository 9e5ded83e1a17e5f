package view

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
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
			if got := clitest.ParseRow(t, NewCmdView, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				assert.Equal(t, tt.wantSchedule, got.Schedule)
			}
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

var runView = clitest.Runner(NewCmdView, 120)

func TestViewRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
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
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5"), httpmock.JSONResponse(project))
	out, _, err := runView(t, false, reg, "5 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.EndClientProject](t, out)
	assert.Equal(t, project, got)
}

func TestViewRunPipedTSVOneRow(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5"), httpmock.JSONResponse(project))
	out, _, err := runView(t, false, reg, "5 --columns number,status,billed_hours")
	require.NoError(t, err)
	assert.Equal(t, "number\tstatus\tbilled_hours\nP20260201.0005\tin_progress\t12.50\n", out)
}

func TestViewRunScheduleJSONIsTheTree(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5/schedule"), httpmock.JSONResponse(tree))
	out, _, err := runView(t, false, reg, "5 --schedule -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.Schedule](t, out)
	assert.Equal(t, tree, got)
}

func TestViewRunScheduleFlattenedTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects/5/schedule"), httpmock.JSONResponse(tree))
	out, _, err := runView(t, false, reg, "5 --schedule --columns outline,kind,title,number,due_date")
	require.NoError(t, err)
	assert.Equal(t, "outline\tkind\ttitle\tnumber\tdue_date\n"+
		"1\tphase\tCabling\t\t\n"+
		"1.1\ttask\tPull cables\tT20260201.0010\t2026-02-10\n"+
		"2\ttask\tSwitch install\tT20260201.0011\t\n", out)
}

func TestViewRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		{Name: "not an end-client project", Argv: "1", Path: "/v1/end-client/projects/1",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), WantExit: cmdutil.ExitNotFound, WantErr: "project not found"},
		{Name: "schedule of no such project", Argv: "1 --schedule", Path: "/v1/end-client/projects/1/schedule",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), WantExit: cmdutil.ExitNotFound, WantErr: "project not found"},
		{Name: "not a billing organization", Argv: "5", Path: "/v1/end-client/projects/5",
			Resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			WantExit: cmdutil.ExitForbidden, WantErr: "your organization is not the billing organization on any contract"},
		{Name: "token rejected", Argv: "5", Path: "/v1/end-client/projects/5",
			Resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), WantExit: cmdutil.ExitNotAuthed, WantErr: "token expired"},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", tt.Path), tt.Resp)
		return runView(t, false, reg, tt.Argv+" -o json")
	})
}
