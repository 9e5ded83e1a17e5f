// Package root assembles the portalctl command tree.
package root

import (
	"fmt"
	"os/signal"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/version"
)

// NewCmdRoot builds the root command with every subcommand: for help,
// generated docs and completion scripts, which need the whole tree.
func NewCmdRoot(f *factory.Factory) *cobra.Command {
	cmd := newBareRoot(f)
	addCommands(f, cmd, topLevelCommands())
	return cmd
}

// NewCmdRootFor builds the root command for one run with args: when args
// name a top-level command, only that command's subtree is built, so
// `portalctl version` does not pay for building every other command's
// flags and help texts; a completion request (`__complete projects …`) is
// treated the same. Anything else (no command, `help`, an unknown name)
// gets the whole tree. Either way cobra runs the same command
// for args, with the same flags and output (TestRootForArgsBehavesLikeWholeTree;
// completion scripts are generic: they ask `__complete`, which gets the
// whole tree).
func NewCmdRootFor(f *factory.Factory, args []string) *cobra.Command {
	cmd := newBareRoot(f)
	commands := topLevelCommands()
	named := args
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// A TAB press: completing within one top-level command needs only
		// that command (completing the top-level name itself finds none).
		named = args[1:]
	}
	if c, ok := namedCommand(cmd, commands, named); ok {
		commands = []topLevelCommand{c}
	}
	addCommands(f, cmd, commands)
	return cmd
}

// namedCommand asks cobra which top-level command args name, using
// stand-ins that carry only the names and aliases, so cobra's own rules
// (flags before the command, aliases) decide exactly as they will when
// the command runs.
func namedCommand(root *cobra.Command, commands []topLevelCommand, args []string) (topLevelCommand, bool) {
	standIns := make([]*cobra.Command, len(commands))
	for i, c := range commands {
		standIns[i] = &cobra.Command{Use: c.names[0], Aliases: c.names[1:], Run: func(*cobra.Command, []string) {}}
	}
	root.AddCommand(standIns...)
	defer root.RemoveCommand(standIns...)
	found, _, err := root.Find(args)
	if err != nil {
		return topLevelCommand{}, false
	}
	for i, s := range standIns {
		if found == s {
			return commands[i], true
		}
	}
	return topLevelCommand{}, false
}

// newBareRoot is the root command with its flags and groups but no
// subcommands.
func newBareRoot(f *factory.Factory) *cobra.Command {
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
			catchInterrupts(f, cmd)
			if err := checkProfile(f, cmd); err != nil {
				return err
			}
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
	_ = cmd.RegisterFlagCompletionFunc("profile", completeProfiles(f))

	cmd.AddGroup(&cobra.Group{ID: groupSetup, Title: "Setup commands:"})
	cmd.AddGroup(&cobra.Group{ID: groupCore, Title: "Portal commands:"})
	cmd.SetHelpCommand(newCmdHelp())
	return cmd
}

// checkProfile refuses a --profile (or PORTALCTL_PROFILE) that the config
// file does not have, unless cmd creates it (auth login, config set): a
// mistyped name would otherwise read as "not logged in" or empty settings.
func checkProfile(f *factory.Factory, cmd *cobra.Command) error {
	name, from := f.ProfileFlag, "--profile"
	if name == "" && f.Getenv != nil {
		name, from = f.Getenv("PORTALCTL_PROFILE"), "PORTALCTL_PROFILE"
	}
	if name == "" || name == config.DefaultProfile || cmdutil.MayCreateProfile(cmd) || f.Config == nil {
		return nil
	}
	cfg, err := f.Config()
	if err != nil || cfg.HasProfile(name) {
		return err
	}
	known := strings.Join(cfg.ProfileNames(), ", ")
	if known == "" {
		known = "none yet"
	}
	return cmdutil.WithHint(cmdutil.FlagErrorf("unknown profile %q (%s); the profiles are: %s", name, from, known),
		fmt.Sprintf("create it with `portalctl auth login --profile %s`; list them with `portalctl config profiles`", name))
}

// catchInterrupts makes Ctrl-C (and SIGTERM) cancel the command's context:
// requests and retry waits stop, commands remove partial output files, and
// the exit code is 130. It is set up here, once cobra has found the
// command, rather than at start-up: the signal watcher starts two threads,
// which commands that finish at once (version, help) need not wait for.
func catchInterrupts(f *factory.Factory, cmd *cobra.Command) {
	if len(f.InterruptSignals) == 0 || !cmdutil.HandlesInterrupts(cmd) {
		return
	}
	// The stop function is not needed: the process exits after the command.
	ctx, _ := signal.NotifyContext(cmd.Context(), f.InterruptSignals...)
	cmd.SetContext(ctx)
}

// addCommands builds commands under root and wires what spans the tree.
func addCommands(f *factory.Factory, root *cobra.Command, commands []topLevelCommand) {
	for _, c := range commands {
		sub := c.build(f)
		sub.GroupID = c.group
		root.AddCommand(sub)
	}
	rejectUnknownSubcommands(root)
}

// rejectUnknownSubcommands makes every command group (projects, tasks, …)
// answer a mistyped subcommand with a usage error (exit 2) and gh's
// nested "Did you mean this?" suggestions, instead of cobra's default of
// printing help and exiting 0, which would hide the mistake from a script.
// Bare "portalctl projects" prints help and exits 0, logged in or not:
// groups need no token (cmdutil.IsAuthCheckEnabled).
func rejectUnknownSubcommands(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		rejectUnknownSubcommands(c)
	}
	if cmd.HasParent() && cmd.HasSubCommands() && !cmd.Runnable() {
		cmdutil.MarkGroup(cmd)
		cmd.Args = cobra.ArbitraryArgs
		// `projects lsit --limit 5` is a mistyped subcommand, not an
		// unknown flag of the group.
		cmd.FParseErrWhitelist.UnknownFlags = true
		cmd.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.UnknownSubcommand(c, args[0])
			}
			return c.Help()
		}
	}
}

// completeProfiles completes --profile with the profiles of the config.
func completeProfiles(f *factory.Factory) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cfg, err := f.Config()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return cfg.ProfileNames(), cobra.ShellCompDirectiveNoFileComp
	}
}
