package projects

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

func TestNewCmdProjects(t *testing.T) {
	tests := []struct {
		cli       string
		want      client.EndClientProjectsQuery
		wantLimit int
		wantUsage bool
	}{
		{cli: "", wantLimit: 30},
		{cli: `--client "Tailspin Dental" --include-completed`, want: client.EndClientProjectsQuery{Client: "Tailspin Dental", IncludeCompleted: true}, wantLimit: 30},
		{cli: "--client 300 -L 2", want: client.EndClientProjectsQuery{Client: "300"}, wantLimit: 2},
		{cli: "--all", wantLimit: 0},
		{cli: "--limit 0", wantUsage: true},
		{cli: "--limit -1", wantUsage: true},
		{cli: "--all -L 3", wantUsage: true},
		{cli: "--client", wantUsage: true},
		{cli: "Tailspin", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRowAnyUsage(t, NewCmdProjects, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.want, got.Query)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

var ecProjects = []api.EndClientProject{
	{Project: api.Project{ID: 5, Number: "P20260201.0005", Name: "Dental chairs network", Status: "in_progress",
		OrganizationID: 300, OrganizationName: "Tailspin Dental"}, BilledHours: api.NewDecimal(12, 50)},
	{Project: api.Project{ID: 6, Number: "P20260202.0006", Name: "POS, phase 2", Status: "new",
		OrganizationID: 301, OrganizationName: "Wingtip Toys"}, BilledHours: api.NewDecimal(0, 0)},
}

var runProjects = clitest.Runner(NewCmdProjects, 120)

func TestProjectsRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects"), httpmock.ListResponse(ecProjects, ""))
	out, errOut, err := runProjects(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	for _, h := range []string{"NUMBER", "NAME", "STATUS", "ORGANIZATION", "BILLED HOURS"} {
		assert.Contains(t, lines[0], h)
	}
	assert.Regexp(t, `P20260201\.0005\s+Dental chairs network\s+in_progress\s+Tailspin Dental.*\s12\.50$`, lines[1])
	assert.Regexp(t, `\s0\.00$`, lines[2])
}

func TestProjectsRunPipedCSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/projects",
		url.Values{"client": {"Tailspin Dental"}, "include_completed": {"true"}, "limit": {"31"}}),
		httpmock.ListResponse(ecProjects[:1], ""))
	out, _, err := runProjects(t, false, reg, `--client "Tailspin Dental" --include-completed -o csv --columns number,organization_name,billed_hours`)
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{{"number", "organization_name", "billed_hours"}, {"P20260201.0005", "Tailspin Dental", "12.50"}}, rows)
}

func TestProjectsRunPipedTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/projects", url.Values{"limit": {"2"}}),
		httpmock.ListResponse(ecProjects, "more")) // the limit stops paging
	out, _, err := runProjects(t, false, reg, "-L 1 --columns id,name,billed_hours")
	require.NoError(t, err)
	assert.Equal(t, "id\tname\tbilled_hours\n5\tDental chairs network\t12.50\n", out)
}

func TestProjectsRunJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/end-client/projects"), httpmock.ListResponse(ecProjects, ""))
	out, _, err := runProjects(t, false, reg, "-o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.EndClientProject](t, out)
	assert.Equal(t, ecProjects, got)
	assert.Contains(t, out, `"billed_hours":12.50`, "exact hundredths, never a float")
}

func TestProjectsRunUnknownClientIsAUsageError(t *testing.T) {
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			if format == "csv" {
				clitest.MeStub(reg, "America/Chicago")
			}
			reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/projects", url.Values{"client": {"Fabrikam"}}),
				httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{Code: api.CodeInvalidRequest,
					Message: `unknown end client "Fabrikam": choose 300 (Tailspin Dental), 301 (Wingtip Toys)`,
					Details: map[string]any{"field": "client", "choices": []string{"300 (Tailspin Dental)", "301 (Wingtip Toys)"}}}}))
			out, errOut, err := runProjects(t, false, reg, "--client Fabrikam -o "+format)
			require.Error(t, err)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
			assert.Equal(t, `--client: unknown end client "Fabrikam": choose 300 (Tailspin Dental), 301 (Wingtip Toys)`, err.Error())
			assert.Empty(t, out, "no header or [ before the error")
			assert.Empty(t, errOut)
		})
	}
}

func TestProjectsRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not a billing organization", 403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		{Name: "other invalid field stays a rejection", Resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: api.Invalid("include_completed", "include_completed must be true or false")}),
			WantExit: cmdutil.ExitRejected, WantErr: "include_completed must be true or false"},
		clitest.ErrorRow("stale cursor", 400, api.CodeInvalidCursor, "the cursor is invalid or expired", cmdutil.ExitRejected),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/end-client/projects"), tt.Resp)
		return runProjects(t, false, reg, "-o json")
	})
}
