package httpmock

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// fakeT records failures instead of failing the real test.
type fakeT struct {
	testing.TB
	errors []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, format)
}

func TestRegistry(t *testing.T) {
	reg := &Registry{}
	reg.Register(QueryMatcher("GET", "/v1/projects", url.Values{"org": {"own"}}),
		ListResponse([]api.Project{{ID: 1}}, ""))
	reg.Register(REST("GET", "/v1/me"), ErrorResponse(401, api.CodeUnauthenticated, "expired"))
	reg.Register(REST("DELETE", "/v1/auth/token"), StringResponse(""))
	c, err := reg.APIClient()()
	require.NoError(t, err)

	rows, err := client.Collect(c.Projects(context.Background(), client.ProjectsQuery{Org: "own"}, 0))
	require.NoError(t, err)
	assert.Equal(t, []api.Project{{ID: 1}}, rows)
	assert.Equal(t, "Bearer test-token", reg.Requests[0].Header.Get("Authorization"))

	_, err = c.Me(context.Background())
	assert.Equal(t, api.CodeUnauthenticated, api.ErrorCode(err))

	// A stub answers once: the second call has no stub and fails.
	_, err = c.Me(context.Background())
	assert.ErrorContains(t, err, "httpmock: no stub for GET https://portal.test/v1/me")

	ft := &fakeT{TB: t}
	reg.Verify(ft)
	assert.Equal(t, []string{"httpmock: stub %s was registered but not called"}, ft.errors, "the DELETE stub was not used")
}
