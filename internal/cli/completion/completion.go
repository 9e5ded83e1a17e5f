// Package completion implements `portalctl completion SHELL`.
package completion

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

var shells = []string{"bash", "zsh", "fish", "powershell"}

// NewCmdCompletion builds the command that prints shell completion scripts.
func NewCmdCompletion(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion {bash|zsh|fish|powershell}",
		Short: "Print a shell completion script",
		Long: heredoc.Doc(`
			Print the completion script for a shell. Load it from your shell's startup
			file, or save it where your shell looks for completions.
		`),
		Example: heredoc.Doc(`
			$ source <(portalctl completion bash)
			$ portalctl completion zsh > "${fpath[1]}/_portalctl"
			$ portalctl completion fish > ~/.config/fish/completions/portalctl.fish
			PS> portalctl completion powershell | Out-String | Invoke-Expression
		`),
		ValidArgs: shells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.FlagErrorf("name a shell: one of bash, zsh, fish, powershell")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), f.IOStreams.Out
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return cmdutil.FlagErrorf("unsupported shell %q: valid shells are bash, zsh, fish, powershell", args[0])
		},
	}
	cmdutil.DisableAuthCheck(cmd)
	return cmd
}
