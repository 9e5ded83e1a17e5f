// Package ticket wires `portalctl endclient ticket`, the verbs on one
// end-client ticket.
package ticket

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/endclient/ticket/view"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// NewCmdTicket builds `portalctl endclient ticket`.
func NewCmdTicket(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "ticket <command>",
		Short:   "Read one end-client ticket (read-only)",
		Long:    "Read one of the tickets your provider bills to your organization: its details and hours billed to you, or its published notes.",
		Example: "$ portalctl endclient ticket view T20260106.0001 --notes",
	}
	cmd.AddCommand(view.NewCmdView(f, nil))
	return cmd
}
