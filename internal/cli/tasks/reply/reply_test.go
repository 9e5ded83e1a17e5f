package reply

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdReply(t *testing.T) {
	tests := []struct {
		cli       string
		wantTask  string
		wantUsage string
	}{
		{cli: "T20260105.0001", wantTask: "T20260105.0001"},
		{cli: "100", wantTask: "100"},
		{cli: "", wantUsage: "tasks reply needs a task id or number"},
		{cli: "100 101", wantUsage: "too many arguments"},
		{cli: "mail", wantUsage: `invalid task "mail"`},
		{cli: "100 -o json", wantUsage: "unknown shorthand flag: 'o'"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdReply, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantTask, got.Task)
			}
		})
	}
}

func runReply(t *testing.T, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	return clitest.Run(t, NewCmdReply, reg, argv, clitest.Opts{})
}

func TestReplyRunPrintsMailtoLink(t *testing.T) {
	tests := []struct {
		name, title, wantLink string
	}{
		{name: "plain title", title: "Confirm licence count",
			wantLink: "mailto:support@provider.test?subject=Task%20T20260105.0001%3A%20Confirm%20licence%20count"},
		{name: "title with mail syntax", title: "R&D + QA? 100% done=yes",
			wantLink: "mailto:support@provider.test?subject=Task%20T20260105.0001%3A%20R%26D%20%2B%20QA%3F%20100%25%20done%3Dyes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("GET", "/v1/tasks/100"),
				httpmock.JSONResponse(api.Task{ID: 100, Number: "T20260105.0001", Title: tt.title}))
			reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{SupportEmail: "support@provider.test"}))
			out, errOut, err := runReply(t, reg, "100")
			require.NoError(t, err)
			assert.Empty(t, errOut)
			assert.Equal(t, tt.wantLink+"\n", out)

			// A mail program decodes the subject back to exactly the task's title.
			u, err := url.Parse(strings.TrimSpace(out))
			require.NoError(t, err)
			assert.Equal(t, "mailto", u.Scheme)
			assert.Equal(t, "support@provider.test", u.Opaque)
			assert.Equal(t, "Task T20260105.0001: "+tt.title, u.Query().Get("subject"))
		})
	}
}

func TestReplyRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		stubs    func(*httpmock.Registry)
		wantExit int
		wantErr  string
	}{
		{name: "no such task", wantExit: cmdutil.ExitNotFound, wantErr: "task not found",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/tasks/100"), httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"))
			}},
		{name: "token rejected", wantExit: cmdutil.ExitNotAuthed, wantErr: "token expired",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/tasks/100"), httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"))
			}},
		{name: "me fails", wantExit: cmdutil.ExitError, wantErr: "the portal is temporarily unavailable",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/tasks/100"), httpmock.JSONResponse(api.Task{ID: 100, Number: "T20260105.0001"}))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.ErrorResponse(503, api.CodeUnavailable, "the portal is temporarily unavailable"))
			}},
		{name: "no support address", wantExit: cmdutil.ExitError,
			wantErr: "your provider's portal has no support email address to reply to; ask your provider to set one, or add a note with `portalctl tasks note`",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/tasks/100"), httpmock.JSONResponse(api.Task{ID: 100, Number: "T20260105.0001"}))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{SupportEmail: ""}))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			tt.stubs(reg)
			out, errOut, err := runReply(t, reg, "100")
			clitest.AssertFailed(t, out, errOut, err, tt.wantExit, tt.wantErr)
		})
	}
}
