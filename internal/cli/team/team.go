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
	cmd := &cobra.Command{Use: "team <command>", Short: "List and email a project's team"}
	cmd.AddCommand(list.NewCmdList(f, nil), email.NewCmdEmail(f, nil))
	return cmd
}
