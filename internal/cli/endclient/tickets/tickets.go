// Package tickets implements `portalctl endclient tickets`.
package tickets

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

// Options for endclient tickets.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Query  client.EndClientProjectsQuery
	Limit  cmdutil.LimitFlags
}

// NewCmdTickets builds the command.
func NewCmdTickets(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "tickets [--client ID|NAME] [--include-completed]",
		Short: "List End Client Tickets, with billed hours",
		Long: heredoc.Doc(`
			List the tickets your provider works for your end clients and bills to your
			organization, with the hours billed to you (labour billed to your organization
			only). Only users of an organization that is the billing organization on some
			contract have any; others get exit code 5. These tickets are read-only and never
			appear in your organization's own lists.
		`),
		Example: heredoc.Doc(`
			$ portalctl endclient tickets
			$ portalctl endclient tickets --client "Tailspin Dental" --include-completed -o csv
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return ticketsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Query.Client, "client", "", "Only this end client (id or name; see endclient clients)")
	_ = cmd.RegisterFlagCompletionFunc("client", shared.Complete(f, shared.EndClients))
	cmd.Flags().BoolVar(&opts.Query.IncludeCompleted, "include-completed", false, "Include completed tickets")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.EndClientTickets.Keys)
	return cmd
}

func ticketsRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if limit == 0 { // --all: one NDJSON answer instead of a request per page
		return shared.List(ctx, opts.Render, output.EndClientTickets, c.EndClientTicketsStream(ctx, opts.Query))
	}
	return shared.ListUpTo(ctx, opts.Render, output.EndClientTickets, limit, c.EndClientTickets(ctx, opts.Query, shared.OneMore(limit)))
}
