package root

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
)

// newCmdHelp is cobra's help command, except that a topic that does not
// exist is a usage error (exit 2) rather than the root's usage and exit 0,
// so that a script or a typo learns it asked for nothing.
func newCmdHelp() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "help [command]",
		Short:   "Help about any command",
		Long:    "Help provides help for any command in the application.\nSimply type portalctl help [path to command] for full details.",
		GroupID: groupSetup,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			parent, _, err := c.Root().Find(args)
			if err != nil || parent == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range parent.Commands() {
				if sub.IsAvailableCommand() && sub != c && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil || target == nil || len(rest) > 0 {
				return cmdutil.FlagErrorf("unknown help topic %q; run 'portalctl help' for the commands and topics", strings.Join(args, " "))
			}
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			if err := target.Help(); err != nil {
				return fmt.Errorf("help: %w", err)
			}
			return nil
		},
	}
	cmdutil.DisableAuthCheck(cmd)
	return cmd
}
