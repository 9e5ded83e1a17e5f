// Package charges implements `portalctl endclient charges`.
package charges

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

// Options for endclient charges.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Query  client.BilledHoursQuery
	Limit  cmdutil.LimitFlags
}

// NewCmdCharges builds the command.
func NewCmdCharges(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var from, to string
	cmd := &cobra.Command{
		Use:   "charges [--client ID|NAME] [--from DATE] [--to DATE]",
		Short: "List what your organization is billed besides hours",
		Long: heredoc.Doc(`
			List the billed items that are not labour (expenses, milestones, project and
			contract charges, services) your provider bills to your organization on its end
			clients' projects, by date: client, project, kind, name, quantity and amount.
			Their quantity counts units, not hours, so they are never in endclient hours.
		`),
		Example: "$ portalctl endclient charges --from 2026-01-01 -o csv",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Query.From, opts.Query.To, err = shared.DateRange(from, to); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return chargesRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Query.Client, "client", "", "Only this end client (id or name)")
	_ = cmd.RegisterFlagCompletionFunc("client", shared.Complete(f, shared.EndClients))
	cmd.Flags().StringVar(&from, "from", "", "Only items dated on or after `DATE` (YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "Only items dated on or before `DATE` (YYYY-MM-DD)")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 0)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Charges.Keys)
	return cmd
}

func chargesRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.List(ctx, opts.Render, output.Charges, c.Charges(ctx, opts.Query, limit))
}
