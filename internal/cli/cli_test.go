package cli

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
)

// Whole command lines through Run: what a user types, what they see, the exit code.
// Not parallel: the keyring mock is global.
func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		cli       string
		env       map[string]string
		stubs     func(*httpmock.Registry)
		wantExit  int
		wantOut   string
		wantErr   string // exact stderr
		errPrefix string // stderr prefix when the text is long
	}{
		{name: "version", cli: "version", wantOut: "portalctl 1.2.3 (commit none, built unknown)\n"},
		{name: "--version", cli: "--version", wantOut: "portalctl 1.2.3 (commit none, built unknown)\n"},
		{name: "exit codes topic", cli: "help exit-codes", wantOut: "portalctl exits with one of these codes:"},
		{name: "environment topic", cli: "help environment", wantOut: "PORTALCTL_TOKEN:"},
		{name: "unknown command", cli: "frobnicate", wantExit: 2,
			wantErr: "error: unknown command \"frobnicate\" for \"portalctl\"\nhint: run 'portalctl --help' for usage\n"},
		{name: "unknown flag", cli: "version --nope", wantExit: 2,
			wantErr: "error: unknown flag: --nope\nhint: run 'portalctl version --help' for usage\n"},
		{name: "api needs login", cli: "api me", wantExit: 4,
			wantErr: "error: not logged in\nhint: run `portalctl auth login`, or set PORTALCTL_TOKEN\n"},
		{name: "api without host", cli: "api me", env: map[string]string{"PORTALCTL_TOKEN": "t"}, wantExit: 2,
			errPrefix: "error: no portal host configured"},
		{name: "api with env token", cli: "api me", env: map[string]string{"PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost},
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse(`{"user":{"username":"jdoe"}}`))
			},
			wantOut: `{"user":{"username":"jdoe"}}` + "\n"},
		{name: "forbidden maps to 5", cli: "api projects/1/schedule", env: map[string]string{"PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost},
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/projects/1/schedule"),
					httpmock.ErrorResponse(403, api.CodeForbidden, "your security level does not allow viewing the project schedule"))
			},
			wantExit: 5, wantErr: "error: your security level does not allow viewing the project schedule\n"},
		{name: "rejected PORTALCTL_TOKEN says to replace it", cli: "api me", env: map[string]string{"PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost},
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.ErrorResponse(401, api.CodeUnauthenticated,
					"your token is invalid, expired or revoked; log in again with `portalctl auth login`"))
			},
			wantExit: 4, wantErr: "error: the portal rejected the token in PORTALCTL_TOKEN: it is invalid, expired or revoked\n" +
				"hint: replace PORTALCTL_TOKEN with a valid token (your portal admin creates one with `portald token create`), or unset it and run `portalctl auth login`\n"},
		{name: "completion without shell", cli: "completion", wantExit: 2, errPrefix: "error: name a shell"},
		{name: "completion bash", cli: "completion bash", wantOut: "# bash completion V2 for portalctl"},
		{name: "hidden completion request needs no login", cli: "__complete config get ''", wantOut: "host\noutput\ntz\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInit()
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			reg := &httpmock.Registry{}
			if tt.stubs != nil {
				tt.stubs(reg)
			}
			defer reg.Verify(t)
			f, _, out, errOut := factory.NewTest(env, reg)
			args, err := shlex.Split(tt.cli)
			require.NoError(t, err)

			code := Run(context.Background(), f, args)

			assert.Equal(t, tt.wantExit, code, "stderr: %s", errOut)
			assert.True(t, strings.HasPrefix(out.String(), tt.wantOut), "stdout: %q", out)
			if tt.wantErr != "" {
				assert.Equal(t, tt.wantErr, errOut.String())
			}
			if tt.errPrefix != "" {
				assert.True(t, strings.HasPrefix(errOut.String(), tt.errPrefix), "stderr: %q", errOut)
			}
			if tt.wantExit == 0 && !strings.HasPrefix(tt.cli, "__complete") {
				assert.Empty(t, errOut.String())
			} else {
				assert.NotContains(t, out.String(), "error")
			}
		})
	}
}

func TestRunInterrupted(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithCancel(context.Background())
	reg := &httpmock.Registry{}
	reg.Register(httpmock.REST("GET", "/v1/me"), func(req *http.Request) (*http.Response, error) {
		cancel() // Ctrl-C while the request is in flight
		return nil, req.Context().Err()
	})
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost}
	f, _, out, errOut := factory.NewTest(env, reg)
	code := Run(ctx, f, []string{"api", "me"})
	assert.Equal(t, 130, code)
	assert.Empty(t, out.String())
	assert.Equal(t, "error: interrupted: context canceled\n", errOut.String())
}

// Logged out, a bare command group prints its help and exits 0, and a
// mistyped subcommand is a usage error (2) with a suggestion and one hint,
// never "not logged in" (4).
func TestGroupsNeedNoLogin(t *testing.T) {
	for _, group := range []string{"projects", "project", "tasks", "issue", "team", "endclient", "attachment", "projects note", "auth", "config"} {
		t.Run(group, func(t *testing.T) {
			keyring.MockInit()
			f, _, out, errOut := factory.NewTest(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}, &httpmock.Registry{})
			code := Run(context.Background(), f, strings.Fields(group))
			assert.Equal(t, 0, code, "stderr: %s", errOut)
			assert.Contains(t, out.String(), "Usage:")
			assert.Contains(t, out.String(), "Available Commands:")
			assert.Empty(t, errOut.String())
		})
	}
	typos := []struct{ cli, want string }{
		{"projects lsit", "error: unknown command \"lsit\" for \"portalctl projects\"\n\nDid you mean this?\n\tlist\n\nhint: run 'portalctl projects --help' for usage\n"},
		{"project lst --limit 5", "error: unknown command \"lst\" for \"portalctl projects\"\n\nDid you mean this?\n\tlist\n\nhint: run 'portalctl projects --help' for usage\n"},
		{"tasks opne", "error: unknown command \"opne\" for \"portalctl tasks\"\n\nDid you mean this?\n\topen\n\nhint: run 'portalctl tasks --help' for usage\n"},
		{"projects note ad", "error: unknown command \"ad\" for \"portalctl projects note\"\n\nDid you mean this?\n\tadd\n\nhint: run 'portalctl projects note --help' for usage\n"},
		{"auth loign", "error: unknown command \"loign\" for \"portalctl auth\"\n\nDid you mean this?\n\tlogin\n\nhint: run 'portalctl auth --help' for usage\n"},
		{"issue help", "error: unknown command \"help\" for \"portalctl issue\"\n\nDid you mean this?\n\t--help\n\nhint: run 'portalctl issue --help' for usage\n"},
		{"auth token lsit", "error: unknown command \"lsit\" for \"portalctl auth token\"\n\nDid you mean this?\n\tlist\n\nhint: run 'portalctl auth token --help' for usage\n"},
		{"team frobnicate", "error: unknown command \"frobnicate\" for \"portalctl team\"\nhint: run 'portalctl team --help' for usage\n"},
	}
	for _, tt := range typos {
		t.Run(tt.cli, func(t *testing.T) {
			keyring.MockInit()
			f, _, out, errOut := factory.NewTest(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}, &httpmock.Registry{})
			code := Run(context.Background(), f, strings.Fields(tt.cli))
			assert.Equal(t, 2, code)
			assert.Empty(t, out.String())
			assert.Equal(t, tt.want, errOut.String())
		})
	}
}

// A reader that stops early (`portalctl … | head`) closes the pipe: the
// write fails with EPIPE (SIGPIPE is ignored in Main) and portalctl exits
// 0 without a word, like gh when its pager is quit.
func TestRunClosedPipeIsQuiet(t *testing.T) {
	keyring.MockInit()
	reg := &httpmock.Registry{}
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse(`{"user":{"username":"jdoe"}}`))
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost}
	f, _, _, errOut := factory.NewTest(env, reg)
	f.IOStreams.Out = closedPipe{}
	code := Run(context.Background(), f, []string{"api", "me"})
	assert.Equal(t, 0, code)
	assert.Empty(t, errOut.String())
}

type closedPipe struct{}

func (closedPipe) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "|1", Err: syscall.EPIPE}
}

// An unknown --profile (or PORTALCTL_PROFILE) is a usage error naming the
// profiles there are, except for the commands that create one; config
// profiles lists them.
func TestProfiles(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	run := func(env map[string]string, args ...string) (int, string, string) {
		all := map[string]string{"XDG_CONFIG_HOME": dir}
		for k, v := range env {
			all[k] = v
		}
		f, _, out, errOut := factory.NewTest(all, &httpmock.Registry{})
		return Run(context.Background(), f, args), out.String(), errOut.String()
	}
	code, _, errOut := run(nil, "config", "list", "--profile", "nosuch")
	assert.Equal(t, 2, code)
	assert.Equal(t, "error: unknown profile \"nosuch\" (--profile); the profiles are: none yet\n"+
		"hint: create it with `portalctl auth login --profile nosuch`; list them with `portalctl config profiles`\n", errOut)

	for _, p := range []string{"staging", "default"} {
		code, _, errOut = run(nil, "config", "set", "--profile", p, "host", "https://"+p+".example.com")
		require.Equal(t, 0, code, errOut)
	}
	code, _, errOut = run(map[string]string{"PORTALCTL_PROFILE": "stagign"}, "projects", "list")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "error: unknown profile \"stagign\" (PORTALCTL_PROFILE); the profiles are: default, staging\n")

	code, out, errOut := run(map[string]string{"PORTALCTL_PROFILE": "staging"}, "config", "get", "host")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "https://staging.example.com\n", out)

	code, out, _ = run(map[string]string{"PORTALCTL_PROFILE": "staging"}, "config", "profiles", "-o", "csv")
	assert.Equal(t, 0, code)
	assert.Equal(t, "name,host,user,current\ndefault,https://default.example.com,,false\nstaging,https://staging.example.com,,true\n", out)
	code, out, _ = run(nil, "config", "profiles", "--profile", "default")
	assert.Equal(t, 0, code)
	assert.Equal(t, "default\thttps://default.example.com\t\ttrue\nstaging\thttps://staging.example.com\t\tfalse\n", strings.SplitN(out, "\n", 2)[1])

	// Help never needs a known profile.
	code, _, _ = run(map[string]string{"PORTALCTL_PROFILE": "nosuch"}, "projects", "--help")
	assert.Equal(t, 0, code)
}

// `portalctl help TOPIC` shows a command's or a topic's help; a topic
// that does not exist is a usage error, not the root's usage and success.
func TestHelpTopics(t *testing.T) {
	keyring.MockInit()
	run := func(args ...string) (int, string, string) {
		f, _, out, errOut := factory.NewTest(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}, &httpmock.Registry{})
		return Run(context.Background(), f, args), out.String(), errOut.String()
	}
	code, out, errOut := run("help", "projects", "list")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "portalctl projects list [flags]")
	code, out, _ = run("help", "exit-codes")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "portalctl exits with one of these codes")
	for _, topic := range [][]string{{"nosuch"}, {"projects", "nosuch"}} {
		code, out, errOut = run(append([]string{"help"}, topic...)...)
		assert.Equal(t, 2, code, "help %v", topic)
		assert.Empty(t, out)
		assert.Contains(t, errOut, fmt.Sprintf("error: unknown help topic %q; run 'portalctl help' for the commands and topics\n", strings.Join(topic, " ")))
	}
}
