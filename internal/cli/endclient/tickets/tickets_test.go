package tickets

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

func TestNewCmdTickets(t *testing.T) {
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
		{cli: "--client", wantUsage: true},
		{cli: "T20260106.0001", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRowAnyUsage(t, NewCmdTickets, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.want, got.Query)
				assert.Equal(t, tt.wantLimit, got.Limit.Rows())
			}
		})
	}
}

var ecTickets = []api.EndClientTicket{
	{ID: 7001, Number: "T20260106.0001", Title: "Front-desk printer offline", Status: "in_progress", OrganizationID: 300,
		OrganizationName: "Tailspin Dental", CreatedAt: time.Date(2026, 1, 5, 14, 10, 0, 0, time.UTC), BilledHours: api.NewDecimal(1, 50)},
	{ID: 7002, Number: "T20260112.0003", Title: "Replace POS terminal", Status: "new", OrganizationID: 301,
		OrganizationName: "Wingtip Toys", CreatedAt: time.Date(2026, 1, 12, 16, 0, 0, 0, time.UTC)},
}

var runTickets = clitest.Runner(NewCmdTickets, 140)

func TestTicketsRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/end-client/tickets"), httpmock.ListResponse(ecTickets, ""))
	out, errOut, err := runTickets(t, true, reg, "")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	for _, h := range []string{"NUMBER", "TITLE", "STATUS", "ORGANIZATION", "CREATED", "BILLED HOURS"} {
		assert.Contains(t, lines[0], h)
	}
	// Created in the organization's time zone (Chicago: 08:10 on Jan 5).
	assert.Regexp(t, `T20260106\.0001\s+Front-desk printer offline\s+in_progress\s+Tailspin Dental\s+2026-01-05 08:10.*\s1\.50$`, lines[1])
	assert.Regexp(t, `\s0\.00$`, lines[2])
}

func TestTicketsRunAllIsOneStream(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/tickets", url.Values{"include_completed": {"true"}}),
		httpmock.NDJSONResponse(ecTickets[0], ecTickets[1]))
	out, _, err := runTickets(t, false, reg, "--all --include-completed -o ndjson --columns id")
	require.NoError(t, err)
	assert.Equal(t, "{\"id\":7001}\n{\"id\":7002}\n", out)
}

func TestTicketsRunPipedFormats(t *testing.T) {
	for _, tt := range []struct {
		flags, want string
		zone        bool // the format shows times: it asks for the organization's time zone
	}{
		{"-o csv --columns number,organization_name,billed_hours", "number,organization_name,billed_hours\nT20260106.0001,Tailspin Dental,1.50\n", true},
		{"--columns id,number,billed_hours", "id\tnumber\tbilled_hours\n7001\tT20260106.0001\t1.50\n", true},
		{"-o ndjson --columns id,billed_hours", `{"id":7001,"billed_hours":1.50}` + "\n", false},
		{"-o json --jq '.[].number'", "T20260106.0001\n", false},
	} {
		t.Run(tt.flags, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			if tt.zone {
				clitest.MeStub(reg, "America/Chicago")
			}
			reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/tickets",
				url.Values{"client": {"Tailspin Dental"}, "include_completed": {"true"}, "limit": {"31"}}),
				httpmock.ListResponse(ecTickets[:1], ""))
			out, _, err := runTickets(t, false, reg, `--client "Tailspin Dental" --include-completed `+tt.flags)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
		})
	}
}
