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
)

// Main runs portalctl with the process's arguments and returns the exit code.
func Main() int {
	// Ctrl-C cancels the context: requests and retry waits stop, commands
	// remove partial output files, and the exit code is 130.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := factory.New(buildinfo.FullVersion())
	return Run(ctx, f, os.Args[1:])
}

// Run executes args against a factory; tests call it with fakes.
func Run(ctx context.Context, f *factory.Factory, args []string) int {
	rootCmd := root.NewCmdRoot(f)
	rootCmd.SetArgs(args)
	rootCmd.SetIn(f.IOStreams.In)
	rootCmd.SetOut(f.IOStreams.Out)
	rootCmd.SetErr(f.IOStreams.ErrOut)
	cmd, err := rootCmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if ctx.Err() != nil && !errors.Is(err, cmdutil.ErrSilent) {
		err = fmt.Errorf("interrupted: %w", context.Canceled)
	}
	printError(f.IOStreams.ErrOut, cmd, err)
	return cmdutil.ExitCode(err)
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
