// Package configcmd groups `portalctl config get|set|list`.
package configcmd

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/configcmd/get"
	"github.com/portalctl/portalctl/internal/cli/configcmd/list"
	"github.com/portalctl/portalctl/internal/cli/configcmd/profiles"
	"github.com/portalctl/portalctl/internal/cli/configcmd/set"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// NewCmdConfig builds `portalctl config`.
func NewCmdConfig(f *factory.Factory) *cobra.Command {
	long := "Read and change settings of the current profile (--profile) in\n" +
		"$XDG_CONFIG_HOME/portalctl/config.yaml.\n\nSettings:\n"
	for _, k := range config.Keys {
		long += "  " + k.Name + ": " + k.Description + "\n"
	}
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Read and change portalctl settings",
		Long:  long,
		Example: heredoc.Doc(`
			$ portalctl config set output json
			$ portalctl config get host
			$ portalctl config profiles
		`),
	}
	cmdutil.DisableAuthCheck(cmd)
	cmd.AddCommand(get.NewCmdGet(f, nil), set.NewCmdSet(f, nil), list.NewCmdList(f, nil), profiles.NewCmdProfiles(f, nil))
	return cmd
}
