// Package cli is portalctl's entry point: it builds the factory and the
// command tree, runs the command and turns the outcome into an exit code.
// Nothing in the CLI calls os.Exit; only main does, with Main's result.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/buildinfo"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/root"
	"github.com/portalctl/portalctl/pkg/api"
)

// Main runs portalctl with the process's arguments and returns the exit code.
func Main() int {
	// Ctrl-C cancels the command's context (requests and retry waits stop,
	// commands remove partial output files, the exit code is 130): the root
	// command sets that up once it has found the command (f.InterruptSignals).
	//
	// A reader that stops early (`portalctl … | head`) closes the pipe:
	// with SIGPIPE ignored, the next write fails with EPIPE instead of the
	// signal killing the process (exit 141), and Run ends quietly with 0.
	signal.Ignore(syscall.SIGPIPE)
	f := factory.New(buildinfo.FullVersion())
	return Run(context.Background(), f, os.Args[1:])
}

// Run executes args against a factory; tests call it with fakes.
func Run(ctx context.Context, f *factory.Factory, args []string) int {
	rootCmd := root.NewCmdRootFor(f, args) // only the command args name is built
	rootCmd.SetArgs(args)
	rootCmd.SetIn(f.IOStreams.In)
	rootCmd.SetOut(f.IOStreams.Out)
	rootCmd.SetErr(f.IOStreams.ErrOut)
	cmd, err := rootCmd.ExecuteContextC(ctx)
	if err == nil || errors.Is(err, syscall.EPIPE) {
		// Done, or the reader of stdout went away: what it read is all it
		// wanted (gh exits 0 when the user quits its pager).
		return cmdutil.ExitOK
	}
	if interrupted(ctx, cmd) && !errors.Is(err, cmdutil.ErrSilent) {
		err = fmt.Errorf("interrupted: %w", context.Canceled)
	}
	err = envTokenRejected(f, err)
	printError(f.IOStreams.ErrOut, cmd, err)
	return cmdutil.ExitCode(err)
}

// envTokenRejected rewords the portal's "log in again" answer when the
// token came from PORTALCTL_TOKEN: `auth login` refuses to run while that
// variable is set, so the variable is what has to change.
func envTokenRejected(f *factory.Factory, err error) error {
	var apiErr *api.Error
	if f.Getenv("PORTALCTL_TOKEN") == "" || !errors.As(err, &apiErr) || apiErr.Code != api.CodeUnauthenticated {
		return err
	}
	return cmdutil.WithHint(&cmdutil.MessageError{Err: err, Message: "the portal rejected the token in PORTALCTL_TOKEN: it is invalid, expired or revoked"},
		"replace PORTALCTL_TOKEN with a valid token (your portal admin creates one with `portald token create`), or unset it and run `portalctl auth login`")
}

// interrupted reports whether the run was cancelled: ctx by the caller, or
// the command's own context by Ctrl-C.
func interrupted(ctx context.Context, cmd *cobra.Command) bool {
	if ctx.Err() != nil {
		return true
	}
	return cmd != nil && cmd.Context() != nil && cmd.Context().Err() != nil
}

// printError writes one "error: …" line and, when one helps, a hint line.
func printError(w io.Writer, cmd *cobra.Command, err error) {
	if errors.Is(err, cmdutil.ErrSilent) {
		return
	}
	fmt.Fprintf(w, "error: %s\n", err)
	hint := cmdutil.Hint(err)
	if hint == "" && cmdutil.ExitCode(err) == cmdutil.ExitUsage && cmd != nil {
		hint = fmt.Sprintf("run '%s --help' for usage", cmd.CommandPath())
	}
	if hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}
