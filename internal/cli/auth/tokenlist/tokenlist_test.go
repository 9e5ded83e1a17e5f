package tokenlist

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestListRun(t *testing.T) {
	expires := time.Date(2026, 6, 26, 12, 0, 0, 0, time.UTC)
	tokens := []api.Token{
		{ID: 3, Name: "ci", CreatedAt: time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)},
		{ID: 7, Name: "portalctl on laptop", CreatedAt: time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), ExpiresAt: &expires, Current: true},
	}
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "UTC")
	reg.Register(httpmock.REST("GET", "/v1/auth/tokens"), httpmock.ListResponse(tokens, ""))
	out, errOut, err := clitest.Run(t, NewCmdList, reg, "-o csv --columns id,name,expires_at,current", clitest.Opts{})
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, [][]string{{"id", "name", "expires_at", "current"}, {"3", "ci", "", "false"},
		{"7", "portalctl on laptop", "2026-06-26T12:00:00Z", "true"}}, clitest.CSV(t, out))
}
