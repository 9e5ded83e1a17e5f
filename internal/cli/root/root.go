// Package root assembles the portalctl command tree.
package root

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	apicmd "github.com/portalctl/portalctl/internal/cli/api"
	"github.com/portalctl/portalctl/internal/cli/auth"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/completion"
	"github.com/portalctl/portalctl/internal/cli/configcmd"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/version"
)

// NewCmdRoot builds the root command with every subcommand.
func NewCmdRoot(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "portalctl <command> <subcommand> [flags]",
		Short: "Work with your Client Portal from the command line",
		Long: heredoc.Doc(`
			portalctl lists your portal projects and tasks, files issues, emails project
			teams and exports end-client billed hours, as a table, CSV, TSV or JSON.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth login --host https://portal.example.com
			$ portalctl projects list
			$ portalctl issue new --project P20260105.0001 --title "Backup failed"
		`),
		Version:       version.Format(f.Version),
		SilenceErrors: true, // Main prints errors itself: one line, to stderr
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if !cmdutil.IsAuthCheckEnabled(cmd) {
				return nil
			}
			// Resolving the client finds the token now, so a missing login
			// fails before any work starts, with exit code 4.
			_, err := f.Client()
			return err
		},
	}
	cmd.SetVersionTemplate("{{.Version}}")
	cmd.SetFlagErrorFunc(cmdutil.FlagErrorFunc)
	cmd.CompletionOptions.DisableDefaultCmd = true // we provide our own, documented one

	pf := cmd.PersistentFlags()
	pf.StringVar(&f.HostFlag, "host", "", "Portal URL (overrides PORTALCTL_HOST and the config)")
	pf.StringVar(&f.ProfileFlag, "profile", "", "Config profile to use, for several portals or accounts (env PORTALCTL_PROFILE)")

	cmd.AddGroup(&cobra.Group{ID: "setup", Title: "Setup commands:"})
	for _, c := range []*cobra.Command{
		auth.NewCmdAuth(f),
		configcmd.NewCmdConfig(f),
		completion.NewCmdCompletion(f),
		version.NewCmdVersion(f),
		apicmd.NewCmdAPI(f, nil),
	} {
		c.GroupID = "setup"
		cmd.AddCommand(c)
	}
	if resources := resourceCommands(f); len(resources) > 0 {
		cmd.AddGroup(&cobra.Group{ID: "core", Title: "Portal commands:"})
		for _, c := range resources {
			c.GroupID = "core"
			cmd.AddCommand(c)
		}
	}
	cmd.SetHelpCommandGroupID("setup")
	cmd.AddCommand(helpTopics()...)
	rejectUnknownSubcommands(cmd)
	addCompletions(f, cmd)
	return cmd
}

// rejectUnknownSubcommands makes every command group (projects, tasks, …)
// answer a mistyped subcommand with a usage error (exit 2) instead of
// cobra's default of printing help and exiting 0, which would hide the
// mistake from a script. Bare "portalctl projects" still prints help.
func rejectUnknownSubcommands(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		rejectUnknownSubcommands(c)
	}
	if cmd.HasParent() && cmd.HasSubCommands() && !cmd.Runnable() {
		cmd.Args = cobra.ArbitraryArgs
		cmd.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unknown command %q for %q; see '%s --help'", args[0], c.CommandPath(), c.CommandPath())
			}
			return c.Help()
		}
	}
}
