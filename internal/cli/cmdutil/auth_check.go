package cmdutil

import "github.com/spf13/cobra"

const skipAuthCheck = "skipAuthCheck"

// DisableAuthCheck marks a command (and its subcommands) as usable without
// a token: auth, config, version, completion, help.
func DisableAuthCheck(cmd *cobra.Command) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[skipAuthCheck] = "true"
}

// IsAuthCheckEnabled reports whether cmd needs a token before it runs.
func IsAuthCheckEnabled(cmd *cobra.Command) bool {
	switch cmd.Name() {
	case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return false
	}
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[skipAuthCheck] == "true" {
			return false
		}
	}
	return true
}
