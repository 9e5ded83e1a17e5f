// Package hours implements `portalctl endclient hours`, the billed-hours
// export for cron jobs.
package hours

import (
	"context"
	"iter"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for endclient hours.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Query  client.BilledHoursQuery
	State  string
	Limit  cmdutil.LimitFlags
	// Summary prints totals instead of rows (summary.go).
	Summary SummaryFlags
}

// NewCmdHours builds the command.
func NewCmdHours(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var from, to string
	cmd := &cobra.Command{
		Use:   "hours [--client ID|NAME] [--from DATE] [--to DATE] [--state FILE]",
		Short: "Export the hours billed to your organization",
		Long: heredoc.Doc(`
			Export the billing items your provider bills to your organization for its end
			clients, ordered by worked date: client, project, task, resource, date, hours
			worked, hours billed, rate and amount. Every matching row is streamed (constant
			memory) unless --limit is given; on a terminal, without --output-file or --state,
			it shows 30 rows like other lists (--all for every row, through the pager).

			--state FILE makes a nightly job export each billed row exactly once: the file
			remembers the highest billing item id exported, the next run exports only newer
			items, and the file is replaced only after every row was written (and the
			--output-file committed). A failed or interrupted run changes nothing.
		`),
		Example: heredoc.Doc(`
			$ portalctl endclient hours --from 2026-01-01 --to 2026-01-31 -o csv
			# nightly cron job: new rows only, each exactly once
			$ portalctl endclient hours -o csv --state ~/.local/state/hours.json --output-file "hours-$(date +%F).csv"
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Query.From, opts.Query.To, err = shared.DateRange(from, to); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return hoursRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Query.Client, "client", "", "Only this end client (id or name)")
	cmd.Flags().StringVar(&from, "from", "", "Only items worked on or after `DATE` (YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "Only items worked on or before `DATE` (YYYY-MM-DD)")
	cmd.Flags().StringVar(&opts.State, "state", "", "Remember the last exported item in `FILE`; export only newer ones")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 0)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags)
	addSummaryFlags(cmd, &opts.Summary)
	return cmd
}

func hoursRun(ctx context.Context, opts *Options) error {
	if opts.Summary.set() {
		return summaryRun(ctx, opts)
	}
	limit, err := opts.Render.ExportLimit(&opts.Limit, opts.State != "")
	if err != nil {
		return err
	}
	var state State
	if opts.State != "" && limit > 0 {
		// Rows come by worked date, the state keeps the highest id: a cut-off
		// export would record ids past rows it skipped, losing them for good.
		return cmdutil.FlagErrorf("--state exports every new row: leave out --limit")
	}
	if opts.State != "" {
		if state, err = ReadState(opts.State); err != nil {
			return err
		}
		if err := CheckStateWritable(opts.State); err != nil {
			return err
		}
		if state.LastID > 0 {
			opts.Query.After = itoa(state.LastID)
		}
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	rows := c.BilledHoursStream(ctx, opts.Query)
	if limit > 0 {
		rows = c.BilledHours(ctx, opts.Query, shared.OneMore(limit))
	}
	maxID := state.LastID
	tracked := func(yield func(api.BilledHoursRow, error) bool) {
		for r, err := range rows {
			if err == nil && r.ID > maxID {
				maxID = r.ID
			}
			if !yield(r, err) {
				return
			}
		}
	}
	if err := shared.ListUpTo(ctx, opts.Render, output.BilledHours, limit, iter.Seq2[api.BilledHoursRow, error](tracked)); err != nil {
		return err
	}
	if opts.State == "" || maxID == state.LastID {
		return nil
	}
	return WriteState(opts.State, State{LastID: maxID})
}
