// Package team wires the `portalctl team` verbs.
package team

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/team/email"
	"github.com/portalctl/portalctl/internal/cli/team/list"
)

// NewCmdTeam builds `portalctl team`.
func NewCmdTeam(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "team <command>", Short: "List and email a project's team",
		Long:    "List a project's team (provider resources and client contacts) and email all of them at once.",
		Example: "$ portalctl team list --project P20260105.0001\n$ portalctl team email --project 1 --subject Cut-over --body \"Is Friday OK?\""}
	cmd.AddCommand(list.NewCmdList(f, nil), email.NewCmdEmail(f, nil))
	return cmd
}
