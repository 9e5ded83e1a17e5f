// Package endclient wires the `portalctl endclient` verbs.
package endclient

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/endclient/charges"
	"github.com/portalctl/portalctl/internal/cli/endclient/clients"
	"github.com/portalctl/portalctl/internal/cli/endclient/hours"
	"github.com/portalctl/portalctl/internal/cli/endclient/projects"
	"github.com/portalctl/portalctl/internal/cli/endclient/ticket"
	"github.com/portalctl/portalctl/internal/cli/endclient/tickets"
	"github.com/portalctl/portalctl/internal/cli/endclient/view"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// NewCmdEndClient builds `portalctl endclient`.
func NewCmdEndClient(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "endclient <command>",
		Short:   "End Client Projects and Tickets billed to your organization, and their billed hours",
		Long:    "When your provider bills your organization for work it does for your own clients (end clients), these commands\nlist those projects and tickets, read them (read-only) and export the billed hours.",
		Example: "$ portalctl endclient projects\n$ portalctl endclient tickets\n$ portalctl endclient hours -o csv --state hours.json --output-file hours.csv",
	}
	cmd.AddCommand(clients.NewCmdClients(f, nil), projects.NewCmdProjects(f, nil), view.NewCmdView(f, nil), hours.NewCmdHours(f, nil),
		charges.NewCmdCharges(f, nil), tickets.NewCmdTickets(f, nil), ticket.NewCmdTicket(f))
	return cmd
}
