package reply

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
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
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdReply(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			cmd.SetOut(&strings.Builder{})
			cmd.SetErr(&strings.Builder{})
			_, err := cmd.ExecuteC()
			if tt.wantUsage != "" {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
				assert.ErrorContains(t, err, tt.wantUsage)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantTask, got.Task)
		})
	}
}

func runReply(t *testing.T, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &factory.Factory{IOStreams: ios, Client: reg.APIClient()}
	cmd := NewCmdReply(f, nil)
	args, _ := shlex.Split(argv)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	// As under the root command: errors are returned, printed once by cli.Run.
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	_, err := cmd.ExecuteContextC(context.Background())
	return out.String(), errOut.String(), err
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
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			tt.stubs(reg)
			out, errOut, err := runReply(t, reg, "100")
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.Empty(t, out, "no half-built link on stdout")
			assert.Empty(t, errOut)
		})
	}
}
