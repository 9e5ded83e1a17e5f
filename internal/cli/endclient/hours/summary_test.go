package hours_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/endclient/hours"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func p[T any](v T) *T { return &v }

func dec(s string) api.Decimal {
	d, err := api.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// summary is Fabrikam's hours by client and month as the server totals them.
var summary = api.BilledHoursSummary{By: []string{"client", "month"}, Items: []api.BilledHoursTotal{
	{ClientID: p(int64(300)), ClientName: p("Tailspin Dental"), Month: p("2026-01"), Items: 4, HoursWorked: dec("10.50"),
		HoursBilled: dec("10.00"), Amount: p(dec("1500.00"))},
	{ClientID: p(int64(300)), ClientName: p("Tailspin Dental"), Month: p("2026-02"), Items: 2, HoursWorked: dec("3.50"),
		HoursBilled: dec("3.00"), Amount: p(dec("450.00"))},
	{ClientID: p(int64(301)), ClientName: p("Wingtip Toys"), Month: p("2026-02"), Items: 1, HoursWorked: dec("1.00"),
		HoursBilled: dec("1.25"), Amount: nil},
}, Total: api.BilledHoursTotal{Items: 7, HoursWorked: dec("15.00"), HoursBilled: dec("14.25"), Amount: p(dec("1950.00"))}}

func summaryStub(reg *httpmock.Registry, by string, s api.BilledHoursSummary) {
	reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/billed-hours/summary",
		url.Values{"by": {by}, "from": {"2026-01-01"}, "client": {"Tailspin"}}), httpmock.JSONResponse(s))
}

var runHours = clitest.Runner(hours.NewCmdHours, 120)

// TestSummaryTable: on a terminal, the groups then a total row.
func TestSummaryTable(t *testing.T) {
	reg := clitest.NewRegistry(t)
	summaryStub(reg, "client,month", summary)
	out, _, err := runHours(t, true, reg, "--summary client,month --from 2026-01-01 --client Tailspin")
	require.NoError(t, err)
	lines := clitest.Lines(out)
	require.Len(t, lines, 5, out)
	assert.Regexp(t, `^CLIENT +MONTH +HOURS WORKED +HOURS BILLED +AMOUNT$`, lines[0])
	assert.Regexp(t, `^Tailspin Dental +2026-01 +10\.50 +10\.00 +1500\.00$`, lines[1])
	assert.Regexp(t, `^Wingtip Toys +2026-02 +1\.00 +1\.25 *$`, lines[3])
	assert.Regexp(t, `^Total +15\.00 +14\.25 +1950\.00$`, lines[4])
}

// TestSummaryFormats: CSV and JSON carry the groups' ids and names and no
// total row (a script adds up, or reads total from the API).
func TestSummaryFormats(t *testing.T) {
	reg := clitest.NewRegistry(t)
	summaryStub(reg, "client,month", summary)
	out, _, err := runHours(t, false, reg, "--summary client,month --from 2026-01-01 --client Tailspin -o csv")
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"client_id", "client_name", "month", "hours_worked", "hours_billed", "amount"},
		{"300", "Tailspin Dental", "2026-01", "10.50", "10.00", "1500.00"},
		{"300", "Tailspin Dental", "2026-02", "3.50", "3.00", "450.00"},
		{"301", "Wingtip Toys", "2026-02", "1.00", "1.25", ""},
	}, clitest.CSV(t, out))

	reg = clitest.NewRegistry(t)
	summaryStub(reg, "client,month", summary)
	out, _, err = runHours(t, false, reg, "--summary client,month --from 2026-01-01 --client Tailspin -o json")
	require.NoError(t, err)
	rows := clitest.DecodeJSON[[]map[string]any](t, out)
	require.Len(t, rows, 3)
	assert.Equal(t, map[string]any{"client_id": float64(301), "client_name": "Wingtip Toys", "month": "2026-02",
		"hours_worked": 1.0, "hours_billed": 1.25, "amount": nil}, rows[2])

	reg = clitest.NewRegistry(t)
	summaryStub(reg, "month", api.BilledHoursSummary{By: []string{"month"}, Items: summary.Items[:1]})
	out, _, err = runHours(t, false, reg, "--summary month --from 2026-01-01 --client Tailspin")
	require.NoError(t, err)
	assert.Equal(t, "month\thours_worked\thours_billed\tamount\n2026-01\t10.50\t10.00\t1500.00\n", out)
}

func TestSummaryUsageErrors(t *testing.T) {
	for cli, want := range map[string]string{
		"--summary week":                                    `invalid --summary "week": choose from client, project, month, resource`,
		"--summary month,month":                             "--summary names month twice",
		"--summary client --state s.json":                   "a summary keeps no state",
		"--summary month --append":                          "a summary keeps no state",
		"--summary client --limit 5":                        "leave out --limit",
		"--summary client --chart":                          "--chart draws hours billed per month",
		"--chart -o json":                                   "--chart draws a chart",
		"--summary month --to 2026-01-01 --from 2026-02-01": "--to 2026-01-01 is before --from 2026-02-01",
	} {
		out, errOut, err := runHours(t, false, clitest.NewRegistry(t), cli)
		clitest.AssertUsageError(t, err, want)
		assert.Empty(t, out+errOut, cli)
	}
}

// TestChart: one bar per month from the first to the last, a month
// without items empty, scaled to the width, plain without colour.
func TestChart(t *testing.T) {
	reg := clitest.NewRegistry(t)
	months := api.BilledHoursSummary{By: []string{"month"}, Items: []api.BilledHoursTotal{
		{Month: p("2025-11"), HoursBilled: dec("20.00")},
		{Month: p("2026-01"), HoursBilled: dec("5.50")},
		{Month: p("2026-02"), HoursBilled: dec("10.01")},
	}, Total: api.BilledHoursTotal{HoursBilled: dec("35.51")}}
	reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/billed-hours/summary", url.Values{"by": {"month"}}), httpmock.JSONResponse(months))
	out, _, err := clitest.Run(t, hours.NewCmdHours, reg, "--chart", clitest.Opts{TTY: true, Width: 40})
	require.NoError(t, err)
	assert.Equal(t, strings.Join([]string{
		"Hours billed per month (total 35.51)",
		"2025-11  ████████████████████████  20.00",
		"2025-12                             0.00",
		"2026-01  ██████▌                    5.50",
		"2026-02  ████████████              10.01",
	}, "\n")+"\n", out)
	assert.NotContains(t, out, "\x1b[", "no colour without a colour terminal")
}
