// Package portald is the portald command line: serve the Portal API, and
// the administrator's commands (import, export, demo, token, user, outbox).
package portald

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/buildinfo"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// IO are the program's streams (buffers in tests).
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// usageError marks bad flags or arguments (exit 2).
type usageError struct{ error }

// Main runs portald with args and returns the exit code.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
}

// Run is Main with injectable context and streams.
func Run(ctx context.Context, args []string, streams IO) int {
	root := newRoot(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(streams.Err, "error: "+strings.TrimSpace(err.Error()))
	var usage usageError
	if errors.As(err, &usage) {
		return 2
	}
	return 1
}

func newRoot(streams IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "portald",
		Short: "The Portal API server behind portalctl",
		Long: heredoc.Doc(`
			portald serves the Portal API v1 to portalctl. It logs portal users in,
			enforces the Client Portal's access rules and serves the data from an
			embedded SQLite database, or from PostgreSQL when --db is a postgres:// URL
			(so several portald instances can share one database), or, with serve --store
			autotask, from a synced copy of an Autotask PSA it keeps in --db (see
			autotask check and sync status).

			Every flag can also be set with an environment variable: PORTALD_ and the
			flag name in capitals with _ for -, e.g. PORTALD_DB, PORTALD_SMTP_HOST.
		`),
		Example: heredoc.Doc(`
			portald demo --db demo.db
			portald serve --db demo.db
			portald token create --db demo.db --username ben --name ci
			PORTALD_DB=postgres://portald@db.example/portal portald serve
		`),
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return bindEnv(cmd)
		},
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newServe(), newImport(), newExport(), newDemo(), newToken(), newUser(), newOutbox(), newAutotask(), newSync(),
		newVersion())
	return root
}

// bindEnv fills every flag not given on the command line from PORTALD_<FLAG>.
func bindEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil || f.Name == "help" {
			return
		}
		env := "PORTALD_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = usageError{fmt.Errorf("%s=%q: %w", env, v, e)}
			}
		}
	})
	return err
}

func versionString() string {
	v := fmt.Sprintf("portald %s (commit %s, built %s)", buildinfo.FullVersion(), buildinfo.Commit, buildinfo.Date)
	if buildinfo.IsDev() {
		v += " — development build"
	}
	return v
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), versionString()) },
	}
}

// noArgs and exactArgs return usage errors (exit 2) for wrong arguments.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s needs %s (see %s --help)", cmd.CommandPath(), what, cmd.CommandPath())}
		}
		return nil
	}
}
