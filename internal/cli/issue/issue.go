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
	}
	cmd.AddCommand(issuenew.NewCmdNew(f, nil), list.NewCmdList(f, nil))
	return cmd
}
