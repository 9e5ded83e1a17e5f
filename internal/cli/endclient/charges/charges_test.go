package charges

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdCharges(t *testing.T) {
	for _, tt := range []struct{ cli, wantUsage string }{
		{cli: ""},
		{cli: "--client Tailspin --from 2026-01-01 --to 2026-01-31 -o csv"},
		{cli: "--from 2026-02-01 --to 2026-01-01", wantUsage: "--to 2026-01-01 is before --from 2026-02-01"},
		{cli: "--from yesterday", wantUsage: "--from"},
		{cli: "extra", wantUsage: `unexpected argument "extra"`},
	} {
		t.Run(tt.cli, func(t *testing.T) { clitest.ParseRow(t, NewCmdCharges, tt.cli, tt.wantUsage) })
	}
}

var runCharges = clitest.Runner(NewCmdCharges, 120)

func TestChargesRun(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	amount := api.NewDecimal(91, 0)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/charges", url.Values{"client": {"Tailspin"}}),
		httpmock.ListResponse([]api.Charge{{ID: 8000005, ClientName: "Tailspin Dental", ProjectNumber: "P20260201.0005",
			Kind: "expense", Date: "2026-02-03", Name: "", Description: "Travel expense", Quantity: api.NewDecimal(2, 0),
			Amount: &amount}}, ""))
	out, _, err := runCharges(t, false, reg, "--client Tailspin -o csv --columns date,kind,project_number,quantity,amount")
	require.NoError(t, err)
	assert.Equal(t, "date,kind,project_number,quantity,amount\n2026-02-03,expense,P20260201.0005,2.00,91.00\n", out)
}
