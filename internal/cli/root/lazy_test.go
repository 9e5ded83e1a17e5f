package root

import (
	"context"
	"testing"

	"github.com/google/shlex"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

// outcome is what a user would see of a run.
type outcome struct{ command, stdout, stderr, err string }

// run executes args against the tree newRoot builds, as cli.Run does.
func run(t *testing.T, newRoot func(*factory.Factory, []string) *cobra.Command, args []string) outcome {
	t.Helper()
	keyring.MockInit()
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
	f, _, out, errOut := factory.NewTest(env, &httpmock.Registry{})
	root := newRoot(f, args)
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(errOut)
	cmd, err := root.ExecuteContextC(context.Background())
	o := outcome{stdout: out.String(), stderr: errOut.String()}
	if cmd != nil {
		o.command = cmd.CommandPath()
	}
	if err != nil {
		o.err = err.Error()
	}
	return o
}

// The tree built for one run behaves exactly like the whole tree: the same
// command runs, with the same output and the same error, whatever the
// arguments (flags before the command, aliases, help, completion requests,
// mistakes). Not parallel: the keyring mock is global.
func TestRootForArgsBehavesLikeWholeTree(t *testing.T) {
	whole := func(f *factory.Factory, _ []string) *cobra.Command { return NewCmdRoot(f) }
	for _, cli := range []string{
		"", "--help", "-h", "help", "--version", "-v",
		"version", "version --help", "version extra", "version --nope", "help version",
		"--host https://portal.example.com version", "--profile=work version", "--host version",
		"-h version", "--no-such-flag version",
		"exit-codes", "environment", "help exit-codes", "help environment",
		"projects", "project list --help", "projects bogus", "help projects list", "projects list",
		"-o json projects list", "projects list -o nope",
		"tasks --help", "task view --help", "issues list --help", "team email --help",
		"endclient hours --help", "attachments download --help",
		"auth --help", "auth status", "config list", "config get host", "config get nope",
		"api --help", "api me",
		"completion", "completion bash", "completion zsh", "completion fish", "completion powershell",
		"__complete ''", "__complete pro", "__complete projects ''", "__complete config get ''",
		"__complete projects list --columns ''", "__complete projects list --output ''",
		"__complete projects list --columns id,na", "__complete project v", "__complete --host x pro",
		"__complete --host x projects ''", "__completeNoDesc projects ''", "__completeNoDesc ''",
		"__complete version ''", "__complete completion ''", "__complete help ''", "__complete help pro",
		"__complete projects list --org ''", "__complete tasks view ''", "__complete frob ''",
		"frobnicate", "versio",
	} {
		t.Run(cli, func(t *testing.T) {
			args, err := shlex.Split(cli)
			require.NoError(t, err)
			want := run(t, whole, args)
			got := run(t, NewCmdRootFor, args)
			assert.Equal(t, want, got)
		})
	}
}

// A run builds only the top-level command its arguments name: that is
// what keeps `portalctl version` close to a bare cobra program, and a TAB
// press quick.
func TestRootForArgsBuildsOnlyTheNamedCommand(t *testing.T) {
	for _, tt := range []struct {
		cli  string
		want []string
	}{
		{"version", []string{"version"}},
		{"--host https://portal.example.com project list", []string{"projects"}},
		{"__complete projects list --columns ''", []string{"projects"}},
		{"__completeNoDesc endclient hours --client ''", []string{"endclient"}},
	} {
		t.Run(tt.cli, func(t *testing.T) {
			args, err := shlex.Split(tt.cli)
			require.NoError(t, err)
			f, _, _, _ := factory.NewTest(nil, nil)
			var names []string
			for _, c := range NewCmdRootFor(f, args).Commands() {
				names = append(names, c.Name())
			}
			assert.Equal(t, tt.want, names)
		})
	}
}

// The names in topLevelCommands are the names and aliases the commands
// answer to, so the stand-ins NewCmdRootFor asks cobra about find the
// same command the real tree would.
func TestTopLevelNames(t *testing.T) {
	f, _, _, _ := factory.NewTest(nil, nil)
	for _, c := range topLevelCommands() {
		cmd := c.build(f)
		assert.Equal(t, c.names, append([]string{cmd.Name()}, cmd.Aliases...), "names of %s", cmd.Name())
		if c.group == "" {
			assert.True(t, cmd.Hidden, "%s: only hidden help topics have no group", cmd.Name())
		}
	}
}
