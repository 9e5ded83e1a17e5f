// Package view implements `portalctl endclient ticket view`.
package view

import (
	"context"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for endclient ticket view.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Ticket string
	Notes  bool
}

// NewCmdView builds the command.
func NewCmdView(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "view ID|NUMBER [--notes]",
		Short: "Show an end-client ticket (read-only)",
		Long: heredoc.Doc(`
			Show an end-client ticket, whatever its status, with the hours billed to your
			organization; --notes lists its published notes instead. A ticket that is not
			billed to your organization is not found (exit 3).
		`),
		Example: heredoc.Doc(`
			$ portalctl endclient ticket view T20260106.0001
			$ portalctl endclient ticket view 7001 --notes -o json
		`),
		Args:              cmdutil.ExactArgs(1, "endclient ticket view needs a ticket id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.EndClientTicketNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.TicketRef(args[0])
			if err != nil {
				return err
			}
			opts.Ticket = ref
			if runF != nil {
				return runF(opts)
			}
			return viewRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Notes, "notes", false, "List the ticket's published notes")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, func() []string {
		if opts.Notes {
			return output.TicketNotes.Keys()
		}
		return output.EndClientTickets.Keys()
	})
	return cmd
}

func viewRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Notes {
		return shared.List(ctx, opts.Render, output.TicketNotes, c.EndClientTicketNotes(ctx, opts.Ticket, 0))
	}
	t, err := c.EndClientTicket(ctx, opts.Ticket)
	if err != nil {
		return err
	}
	return shared.View(ctx, opts.Render, output.EndClientTickets, t)
}
