// Package auth groups the auth subcommands.
package auth

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/auth/login"
	"github.com/portalctl/portalctl/internal/cli/auth/logout"
	"github.com/portalctl/portalctl/internal/cli/auth/status"
	"github.com/portalctl/portalctl/internal/cli/auth/token"
	"github.com/portalctl/portalctl/internal/cli/auth/tokenlist"
	"github.com/portalctl/portalctl/internal/cli/auth/tokenrevoke"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// NewCmdAuth builds `portalctl auth`.
func NewCmdAuth(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth <command>",
		Short: "Sign in to a portal, sign out, show the signed-in account",
		Long: heredoc.Doc(`
			Manage the token portalctl uses. Tokens are kept in the system keyring;
			PORTALCTL_TOKEN overrides whatever is stored.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth login --host https://portal.example.com --username jdoe
			$ portalctl auth status
		`),
	}
	cmdutil.DisableAuthCheck(cmd)
	cmd.AddCommand(login.NewCmdLogin(f, nil))
	cmd.AddCommand(logout.NewCmdLogout(f, nil))
	cmd.AddCommand(status.NewCmdStatus(f, nil))
	tokenCmd := token.NewCmdToken(f, nil)
	tokenCmd.AddCommand(tokenlist.NewCmdList(f, nil), tokenrevoke.NewCmdRevoke(f, nil))
	cmd.AddCommand(tokenCmd)
	return cmd
}
