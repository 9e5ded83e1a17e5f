package tokenrevoke

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

var tokens = []api.Token{{ID: 3, Name: "ci"}, {ID: 7, Name: "laptop", Current: true}}

func TestRevokeRun(t *testing.T) {
	tests := []struct {
		name, argv          string
		tty                 bool
		wantOut, wantStderr string
	}{
		{name: "on a terminal", argv: "3", tty: true, wantOut: "✓ Revoked token 3 (ci)\n"},
		{name: "piped: nothing to say", argv: "3"},
		{name: "the current token signs out", argv: "7", tty: true, wantOut: "✓ Revoked token 7 (laptop)\n",
			wantStderr: "That was the token portalctl uses: sign in again with `portalctl auth login`.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("GET", "/v1/auth/tokens"), httpmock.ListResponse(tokens, ""))
			reg.Register(httpmock.REST("DELETE", "/v1/auth/tokens/"+tt.argv), httpmock.StatusStringResponse(204, ""))
			out, errOut, err := clitest.Run(t, NewCmdRevoke, reg, tt.argv, clitest.Opts{TTY: tt.tty})
			require.NoError(t, err)
			assert.Equal(t, tt.wantOut, out)
			assert.Equal(t, tt.wantStderr, errOut)
		})
	}
}

func TestRevokeRunErrors(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/auth/tokens"), httpmock.ListResponse(tokens, ""))
	out, errOut, err := clitest.Run(t, NewCmdRevoke, reg, "9", clitest.Opts{})
	clitest.AssertFailed(t, out, errOut, err, cmdutil.ExitNotFound, "you have no token 9")
	assert.Contains(t, cmdutil.Hint(err), "auth token list")

	_, _, err = clitest.Run(t, NewCmdRevoke, clitest.NewRegistry(t), "abc", clitest.Opts{})
	clitest.AssertUsageError(t, err, "invalid token id")
}
