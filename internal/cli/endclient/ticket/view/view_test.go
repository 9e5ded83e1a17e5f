package view_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

var printer = api.EndClientTicket{ID: 7001, Number: "T20260106.0001", Title: "Front-desk printer offline", Status: "in_progress",
	OrganizationID: 300, OrganizationName: "Tailspin Dental", Queue: "Service Desk",
	CreatedAt: time.Date(2026, 1, 5, 14, 10, 0, 0, time.UTC), BilledHours: api.NewDecimal(1, 50)}

var notes = []api.TicketNote{{ID: 7101, TicketID: 7001, Title: "Found the cause", Body: "DHCP lease", Author: "Tom Berg",
	CreatedAt: time.Date(2026, 1, 6, 15, 0, 0, 0, time.UTC)}}

// Whole command lines through cli.Run: what the user sees and the exit
// code of each outcome.
func TestEndClientTicketViewCommandLine(t *testing.T) {
	tests := []struct {
		name, cli, path  string
		resp             httpmock.Responder
		wantExit         int
		wantOut, wantErr string
	}{
		{name: "by number, lower case", cli: "endclient ticket view t20260106.0001 -o json --jq .billed_hours",
			path: "/v1/end-client/tickets/T20260106.0001", resp: httpmock.JSONResponse(printer), wantOut: "1.50\n"},
		{name: "notes", cli: "endclient ticket view 7001 --notes -o json --jq '.[] | [.id, .title, .author] | @csv'",
			path: "/v1/end-client/tickets/7001/notes", resp: httpmock.ListResponse(notes, ""),
			wantOut: "7101,\"Found the cause\",\"Tom Berg\"\n"},
		{name: "not billed to you", cli: "endclient ticket view 7004 -o json", path: "/v1/end-client/tickets/7004",
			resp: httpmock.ErrorResponse(404, api.CodeNotFound, "end-client ticket not found"), wantExit: 3,
			wantErr: "error: end-client ticket not found\n"},
		{name: "not a billing organization", cli: "endclient ticket view 7001 -o json", path: "/v1/end-client/tickets/7001",
			resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			wantExit: 5, wantErr: "error: your organization is not the billing organization on any contract\n"},
		{name: "not a ticket reference", cli: "endclient ticket view P20260201.0005", wantExit: 2,
			wantErr: "error: invalid ticket \"P20260201.0005\": give its id (42) or its number (T20260106.0001)\n" +
				"hint: run 'portalctl endclient ticket view --help' for usage\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			if tt.path != "" {
				reg.Register(httpmock.REST("GET", tt.path), tt.resp)
			}
			f, _, out, errOut := clitest.CommandLine(t, reg)
			args, err := shlex.Split(tt.cli)
			require.NoError(t, err)
			code := cli.Run(context.Background(), f, args)
			assert.Equal(t, tt.wantExit, code)
			assert.Equal(t, tt.wantErr, errOut.String())
			assert.Equal(t, tt.wantOut, out.String())
		})
	}
}
