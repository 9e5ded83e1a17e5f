// Package issue wires the `portalctl issue` verbs.
package issue

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/issue/list"
	issuenew "github.com/portalctl/portalctl/internal/cli/issue/new"
)

// NewCmdIssue builds `portalctl issue`.
func NewCmdIssue(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "issue <command>",
		Aliases: []string{"issues"},
		Short:   "File and list project issues",
		Long:    "File issues on your projects (New Project Issue) from a shell or a CI job, and list them.",
		Example: "$ portalctl issue new --project P20260105.0001 --title \"Backup failed\"\n$ portalctl issue list --project P20260105.0001",
	}
	cmd.AddCommand(issuenew.NewCmdNew(f, nil), list.NewCmdList(f, nil))
	return cmd
}
