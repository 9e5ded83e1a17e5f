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

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/buildinfo"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/root"
)

// Main runs portalctl with the process's arguments and returns the exit code.
func Main() int {
	// Ctrl-C cancels the command's context (requests and retry waits stop,
	// commands remove partial output files, the exit code is 130): the root
	// command sets that up once it has found the command (f.InterruptSignals).
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
	if err == nil {
		return cmdutil.ExitOK
	}
	if interrupted(ctx, cmd) && !errors.Is(err, cmdutil.ErrSilent) {
		err = fmt.Errorf("interrupted: %w", context.Canceled)
	}
	printError(f.IOStreams.ErrOut, cmd, err)
	return cmdutil.ExitCode(err)
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
