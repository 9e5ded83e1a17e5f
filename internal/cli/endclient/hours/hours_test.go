package hours

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

func TestNewCmdHours(t *testing.T) {
	tests := []struct {
		cli       string
		want      client.BilledHoursQuery
		wantState string
		wantLimit int
		wantUsage string
	}{
		{cli: "", wantLimit: 0},
		{cli: `--client "Tailspin Dental" --from 2026-01-01 --to 2026-01-31 --state s.json`,
			want: client.BilledHoursQuery{Client: "Tailspin Dental", From: "2026-01-01", To: "2026-01-31"}, wantState: "s.json"},
		{cli: "--from 2026-01-31 --to 2026-01-31", want: client.BilledHoursQuery{From: "2026-01-31", To: "2026-01-31"}},
		{cli: "--to 2026-01-31", want: client.BilledHoursQuery{To: "2026-01-31"}},
		{cli: "-L 100", wantLimit: 100},
		{cli: "--all", wantLimit: 0},
		{cli: "--from 2026-01-31 --to 2026-01-01", wantUsage: "--to 2026-01-01 is before --from 2026-01-31"},
		{cli: "--from 2026-02-30", wantUsage: "--from"},
		{cli: "--to 31/01/2026", wantUsage: "--to"},
		{cli: "--limit 0", wantUsage: "--limit"},
		{cli: "--all --limit 5", wantUsage: "only one of --limit and --all"},
		{cli: "--state", wantUsage: "flag needs an argument"},
		{cli: "2026-01", wantUsage: "unexpected argument"},
		{cli: "--kind ticket", want: client.BilledHoursQuery{Kind: "ticket"}},
		{cli: "--kind project --client 300", want: client.BilledHoursQuery{Kind: "project", Client: "300"}},
		{cli: "--kind expense", wantUsage: `invalid --kind "expense": choose project or ticket`},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdHours, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.want, got.Query)
				assert.Equal(t, tt.wantState, got.State)
				limit := got.Limit.Rows()
				assert.Equal(t, tt.wantLimit, limit)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func row(id int64, date string, hours int64) api.BilledHoursRow {
	return api.BilledHoursRow{ID: id, ClientID: 300, ClientName: "Tailspin Dental", ProjectID: ptr(int64(5)), ProjectNumber: ptr("P20260201.0005"),
		ProjectName: ptr("Dental chairs network"), TaskNumber: ptr("T20260201.0010"), Resource: ptr("Sam Tech"),
		WorkedDate: api.Date(date), HoursWorked: api.NewDecimal(hours, 0), HoursBilled: api.NewDecimal(hours, 50),
		Rate: ptr(api.NewDecimal(95, 0)), Amount: ptr(api.NewDecimal(hours*95+47, 50)), Description: "Cabling, floor " + date[8:]}
}

// streamed matches the NDJSON export: Accept: application/x-ndjson, the
// given query values, and no paging parameters.
func streamed(query url.Values) httpmock.Matcher {
	return httpmock.MatchFunc("GET billed-hours NDJSON ?"+query.Encode(), func(req *http.Request) bool {
		got := req.URL.Query()
		if req.Method != "GET" || req.URL.Path != "/v1/end-client/billed-hours" ||
			req.Header.Get("Accept") != "application/x-ndjson" || got.Has("limit") || got.Has("cursor") {
			return false
		}
		for k := range got {
			if !query.Has(k) {
				return false
			}
		}
		for k, v := range query {
			if strings.Join(got[k], ",") != strings.Join(v, ",") {
				return false
			}
		}
		return true
	})
}

func runHours(t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	return runHoursContext(context.Background(), t, tty, reg, argv)
}

func runHoursContext(ctx context.Context, t *testing.T, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	return clitest.Run(t, NewCmdHours, reg, argv, clitest.Opts{TTY: tty, Width: 200, Ctx: ctx})
}

func TestHoursRunStreamsCSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(streamed(url.Values{"from": {"2026-01-01"}, "to": {"2026-01-31"}, "client": {"300"}}),
		httpmock.NDJSONResponse(row(1001, "2026-01-05", 2), row(1002, "2026-01-06", 3)))
	out, errOut, err := runHours(t, false, reg, "--from 2026-01-01 --to 2026-01-31 --client 300 -o csv "+
		"--columns id,worked_date,client_name,task_number,hours_worked,hours_billed,rate,amount,description")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{
		{"id", "worked_date", "client_name", "task_number", "hours_worked", "hours_billed", "rate", "amount", "description"},
		{"1001", "2026-01-05", "Tailspin Dental", "T20260201.0010", "2.00", "2.50", "95.00", "237.50", "Cabling, floor 05"},
		{"1002", "2026-01-06", "Tailspin Dental", "T20260201.0010", "3.00", "3.50", "95.00", "332.50", "Cabling, floor 06"},
	}, rows)
}

// On a terminal, hours is a list like the others: 30 rows unless --all.
func TestHoursRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(paged("31"), httpmock.ListResponse([]api.BilledHoursRow{row(1001, "2026-01-05", 2)}, ""))
	out, _, err := runHours(t, true, reg, "")
	require.NoError(t, err)
	lines := clitest.Lines(out)
	require.Len(t, lines, 2, out)
	for _, h := range []string{"ID", "WORKED", "HOURS WORKED", "HOURS BILLED", "CLIENT", "PROJECT", "TASK", "RESOURCE", "AMOUNT", "DESCRIPTION"} {
		assert.Contains(t, lines[0], h)
	}
	assert.Regexp(t, `^1001\s+2026-01-05\s+2\.00\s+2\.50\s+Tailspin Dental\s+P20260201\.0005\s+T20260201\.0010\s+Sam Tech\s+237\.50\s+Cabling, floor 05`, lines[1])
}

func TestHoursRunJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(streamed(url.Values{}), httpmock.NDJSONResponse(row(1001, "2026-01-05", 2), row(1002, "2026-01-06", 3)))
	out, _, err := runHours(t, false, reg, "--all -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.BilledHoursRow](t, out)
	assert.Equal(t, []api.BilledHoursRow{row(1001, "2026-01-05", 2), row(1002, "2026-01-06", 3)}, got)
}

// paged matches one JSON page of billed hours of the given size.
func paged(limit string) httpmock.Matcher {
	return httpmock.MatchFunc("GET billed-hours ?limit="+limit+" (JSON page)", func(req *http.Request) bool {
		return req.URL.Path == "/v1/end-client/billed-hours" && req.URL.Query().Get("limit") == limit &&
			req.Header.Get("Accept") != "application/x-ndjson"
	})
}

func TestHoursRunWithLimitPages(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(paged("2"), httpmock.ListResponse([]api.BilledHoursRow{row(1001, "2026-01-05", 2), row(1002, "2026-01-06", 3)}, "more"))
	out, _, err := runHours(t, false, reg, "-L 1 -o ndjson --columns id,hours_billed")
	require.NoError(t, err)
	assert.Equal(t, `{"id":1001,"hours_billed":2.50}`+"\n", out)
}

func TestHoursRunUnknownClientIsAUsageError(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(streamed(url.Values{"client": {"Fabrikam"}}), httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{
		Code: api.CodeInvalidRequest, Message: `unknown end client "Fabrikam": choose 300 (Tailspin Dental), 301 (Wingtip Toys)`,
		Details: map[string]any{"field": "client"}}}))
	out, errOut, err := runHours(t, false, reg, "--client Fabrikam -o json")
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
	assert.Equal(t, `--client: unknown end client "Fabrikam": choose 300 (Tailspin Dental), 301 (Wingtip Toys)`, err.Error())
	assert.Empty(t, out)
	assert.Empty(t, errOut)
}

func TestHoursRunAPIErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not a billing organization", 403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		{Name: "bad after cursor", Resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: api.Invalid("after", "after must be a billing item id")}),
			WantExit: cmdutil.ExitRejected, WantErr: "after must be a billing item id"},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(streamed(url.Values{}), tt.Resp)
		return runHours(t, false, reg, "-o json")
	})
}
