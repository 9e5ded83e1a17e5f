// Package clitest holds the harness every command test repeats: parsing a
// command line into a command's Options without running it, running a
// command against an httpmock registry the way the root command would, and
// the assertions on what a user then sees (exit code, one error line, clean
// stdout and stderr).
//
// Only _test.go files import it. It must not import internal/cli (the root
// wiring): a command's in-package tests import clitest, and internal/cli
// imports every command, so that would be an import cycle.
package clitest

import (
	"context"
	"io"
	"testing"

	"github.com/google/shlex"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

// NewCmdFunc is the shape of every leaf command constructor: a factory and a
// runF that, when not nil, replaces the command's run function (tests).
type NewCmdFunc[O any] func(f *factory.Factory, runF func(*O) error) *cobra.Command

// Split splits a command line the way a POSIX shell would, failing t when
// the line itself is malformed (an unclosed quote is a bug in the test).
func Split(t testing.TB, cli string) []string {
	t.Helper()
	argv, err := shlex.Split(cli)
	require.NoError(t, err, "splitting %q", cli)
	return argv
}

// ParseFlags builds the command with buffer streams, parses cli and returns
// the Options runF received: nil when parsing failed before the command
// would run. then, when given, runs inside runF on the Options, for checks
// a command makes at run time (such as --limit against --all); its error is
// returned as the command's.
func ParseFlags[O any](t testing.TB, newCmd NewCmdFunc[O], cli string, then ...func(*O) error) (*O, error) {
	t.Helper()
	return ParseArgs(t, newCmd, Split(t, cli), then...)
}

// ParseArgs is ParseFlags with the arguments already split, for an argument
// a shell split would change (one with spaces around it, as from a script).
func ParseArgs[O any](t testing.TB, newCmd NewCmdFunc[O], argv []string, then ...func(*O) error) (*O, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	var got *O
	cmd := newCmd(&factory.Factory{IOStreams: ios}, func(o *O) error {
		got = o
		for _, check := range then {
			if err := check(o); err != nil {
				return err
			}
		}
		return nil
	})
	_, err := execute(context.Background(), cmd, argv, out, errOut)
	return got, err
}

// execute runs cmd as the root command would: errors are returned, not
// printed (the root prints them once, to stderr), and no usage text is
// dumped. Anything cobra itself writes goes to out and errOut.
func execute(ctx context.Context, cmd *cobra.Command, argv []string, out, errOut io.Writer) (*cobra.Command, error) {
	cmd.SetArgs(argv)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContextC(ctx)
}
