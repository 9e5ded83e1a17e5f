package projects_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

// Whole command lines through cli.Run: exactly what the user sees on stderr
// and the exit code, for the answers that only end-client users get.
func TestEndClientProjectsCommandLine(t *testing.T) {
	tests := []struct {
		name     string
		cli      string
		resp     httpmock.Responder
		query    url.Values
		wantExit int
		wantErr  string
	}{
		{name: "not a billing organization", cli: "endclient projects -o json",
			resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			wantExit: 5, wantErr: "error: your organization is not the billing organization on any contract\n"},
		{name: "unknown client lists the choices", cli: "endclient projects --client Fabrikam -o json", query: url.Values{"client": {"Fabrikam"}},
			resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: api.Invalid("client",
				`unknown end client "Fabrikam": choose 300 (Tailspin Dental), 301 (Wingtip Toys)`)}),
			wantExit: 2, wantErr: "error: --client: unknown end client \"Fabrikam\": choose 300 (Tailspin Dental), 301 (Wingtip Toys)\n" +
				"hint: run 'portalctl endclient projects --help' for usage\n"},
		{name: "token rejected", cli: "endclient projects -o json",
			resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"),
			// clitest.CommandLine's token is PORTALCTL_TOKEN, which auth login cannot replace.
			wantExit: 4, wantErr: "error: the portal rejected the token in PORTALCTL_TOKEN: it is invalid, expired or revoked\n" +
				"hint: replace PORTALCTL_TOKEN with a valid token (your portal admin creates one with `portald token create`), or unset it and run `portalctl auth login`\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.QueryMatcher("GET", "/v1/end-client/projects", tt.query), tt.resp)
			f, _, out, errOut := clitest.CommandLine(t, reg)
			args, err := shlex.Split(tt.cli)
			require.NoError(t, err)
			code := cli.Run(context.Background(), f, args)
			assert.Equal(t, tt.wantExit, code)
			assert.Equal(t, tt.wantErr, errOut.String())
			assert.Empty(t, out.String())
		})
	}
}
