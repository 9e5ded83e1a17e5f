// Package hours implements `portalctl endclient hours`, the billed-hours
// export for cron jobs.
package hours

import (
	"context"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for endclient hours.
type Options struct {
	Render      *shared.Renderer
	Client      func() (*client.Client, error)
	Query       client.BilledHoursQuery
	State       string
	Append      bool // --append: add the rows to --output-file
	Clobber     bool // --clobber: replace a non-empty --output-file
	WriteEmpty  bool // --write-empty: write the header even without rows
	LockTimeout time.Duration
	Limit       cmdutil.LimitFlags
	// Summary prints totals instead of rows (summary.go).
	Summary SummaryFlags
}

// defaultLockTimeout is how long a run waits for another on its state.
const defaultLockTimeout = 2 * time.Minute

// NewCmdHours builds the command.
func NewCmdHours(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var from, to string
	cmd := &cobra.Command{
		Use:   "hours [--client ID|NAME] [--kind project|ticket] [--from DATE] [--to DATE] [--state FILE [--output-file FILE [--append|--clobber]]]",
		Short: "Export the hours billed to your organization",
		Long: heredoc.Doc(`
			Export the billing items your provider bills to your organization for its end
			clients, ordered by worked date: entry, client, project, task, resource, date,
			hours worked, hours billed, rate and amount. Every matching row is streamed
			(constant memory, one consistent snapshot) unless --limit is given; on a
			terminal, without --output-file or --state, it shows 30 rows like other lists
			(--all for every row, through the pager).

			Items billed on end-client tickets come too (their ticket_id, ticket_number
			and ticket_title columns, shown with --columns, are set and the project ones
			empty); --kind project or --kind ticket keeps one kind.

			--state FILE makes a nightly job an exact ledger. The first run exports every
			row; each later run exports only what changed since the run before, as entries:
			  new         an item you have not had: add it.
			  reversal    undoes a row you had (same id; hours worked, hours billed and
			              amount negated): book it as is, or delete that id's row.
			  correction  the item as it now stands, right after its reversal: add it.
			An item that was removed, or is no longer billed to you or no longer matches
			the filters, gets a lone reversal. So for every item, hours billed summed
			over all rows of all runs equals its billed hours now (0 when gone), however
			late items are posted (older ids included) or corrected.

			The state file records the server, the user, the portal's billing feed and
			the filters; a run with other ones refuses (exit 2): use one state file per
			filter set. Runs on one state file take turns (a lock; a second run waits up
			to --lock-timeout, then fails without exporting anything).

			With --output-file, rows and state are committed together: a run that fails,
			is interrupted or killed (even kill -9) loses nothing and repeats nothing;
			the next run finishes or undoes what it left. An existing non-empty file is
			never replaced unless --clobber: write a file per run, or --append (rows
			added after its header). A run without new rows says so on standard error and
			writes no file (--write-empty writes the header anyway). On standard output,
			rows are out as they are written: a run killed after writing rows and before
			saving its state repeats them next time (use --output-file for exactly once).
		`),
		Example: heredoc.Doc(`
			$ portalctl endclient hours --from 2026-01-01 --to 2026-01-31 -o csv
			$ portalctl endclient hours --kind ticket --columns worked_date,client_name,ticket_number,hours_billed
			# nightly cron job: a new file per run with what changed since the last one
			$ portalctl endclient hours -o csv --state ~/.local/state/hours.json --output-file "hours-$(date +%FT%H%M%S).csv"
			# or one growing ledger
			$ portalctl endclient hours -o csv --state ~/.local/state/hours.json --output-file hours.csv --append
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Query.From, opts.Query.To, err = shared.DateRange(from, to); err != nil {
				return err
			}
			if k := opts.Query.Kind; k != "" && k != "project" && k != "ticket" {
				return cmdutil.FlagErrorf("invalid --kind %q: choose project or ticket", k)
			}
			if runF != nil {
				return runF(opts)
			}
			return hoursRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Query.Client, "client", "", "Only this end client (id or name)")
	_ = cmd.RegisterFlagCompletionFunc("client", shared.Complete(f, shared.EndClients))
	fl.StringVar(&opts.Query.Kind, "kind", "", "Only `project` or `ticket` work (default both)")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions([]string{"project", "ticket"}, cobra.ShellCompDirectiveNoFileComp))
	fl.StringVar(&from, "from", "", "Only items worked on or after `DATE` (YYYY-MM-DD)")
	fl.StringVar(&to, "to", "", "Only items worked on or before `DATE` (YYYY-MM-DD)")
	fl.StringVar(&opts.State, "state", "", "Remember the export's position in `FILE`; export only what changed since")
	fl.BoolVar(&opts.Append, "append", false, "With --state: add the rows to --output-file (one header)")
	fl.BoolVar(&opts.Clobber, "clobber", false, "With --state: replace a non-empty --output-file")
	fl.BoolVar(&opts.WriteEmpty, "write-empty", false, "With --state: write the output even when there are no new rows")
	fl.DurationVar(&opts.LockTimeout, "lock-timeout", defaultLockTimeout, "With --state: how long to wait for another run on the same state file")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 0)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.BilledHours.Keys)
	addSummaryFlags(cmd, &opts.Summary)
	return cmd
}

func hoursRun(ctx context.Context, opts *Options) error {
	if opts.Summary.set() {
		return summaryRun(ctx, opts)
	}
	limit := opts.Render.ExportLimit(&opts.Limit, opts.State != "")
	if opts.State != "" {
		if limit > 0 {
			// A cut-off run would move the position past rows it never wrote.
			return cmdutil.FlagErrorf("--state exports every change: leave out --limit")
		}
		return stateRun(ctx, opts)
	}
	switch {
	case opts.Append || opts.Clobber || opts.WriteEmpty:
		return cmdutil.FlagErrorf("--append, --clobber and --write-empty go with --state (without it, --output-file is replaced)")
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	rows := c.BilledHoursStream(ctx, opts.Query)
	if limit > 0 {
		rows = c.BilledHours(ctx, opts.Query, shared.OneMore(limit))
	}
	return shared.ListUpTo(ctx, opts.Render, output.BilledHours, limit, rows)
}
