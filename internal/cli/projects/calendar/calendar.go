// Package calendar implements `portalctl projects calendar`.
package calendar

import (
	"context"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for projects calendar.
type Options struct {
	Render   *shared.Renderer
	Client   func() (*client.Client, error)
	Project  string
	From, To api.Date
}

// NewCmdCalendar builds the command.
func NewCmdCalendar(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var from, to string
	cmd := &cobra.Command{
		Use:   "calendar ID|NUMBER [--from DATE] [--to DATE]",
		Short: "List a project's calendar events",
		Long: heredoc.Doc(`
			List the events provider staff added to a project's calendar (meetings, cut-overs,
			days off), optionally between two dates (YYYY-MM-DD).

			-o ics writes the project's calendar as iCalendar (RFC 5545) instead, for any
			calendar app: its events, the project's start and end dates and the due dates of
			your open tasks in it, as 'portalctl calendar export --project' does.
		`),
		Example: heredoc.Doc(`
			$ portalctl projects calendar P20260105.0001
			$ portalctl projects calendar 1 --from 2026-03-01 --to 2026-03-31 -o csv
			$ portalctl projects calendar P20260105.0001 -o ics --output-file project.ics
		`),
		Args:              cmdutil.ExactArgs(1, "projects calendar needs a project id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.ProjectNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectRef(args[0])
			if err != nil {
				return err
			}
			opts.Project = ref
			if opts.From, err = shared.DateFlag("from", from); err != nil {
				return err
			}
			if opts.To, err = shared.DateFlag("to", to); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return calendarRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "Only events ending on or after `DATE` (YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "Only events starting on or before `DATE` (YYYY-MM-DD)")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Events.Keys)
	return cmd
}

func calendarRun(ctx context.Context, opts *Options) error {
	if opts.Render.Flags.Format == shared.FormatICS {
		return icsRun(ctx, opts)
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.List(ctx, opts.Render, output.Events, c.Calendar(ctx, opts.Project, opts.From, opts.To, 0))
}

// icsRun writes the project's iCalendar feed (GET /v1/calendar.ics?project=).
func icsRun(ctx context.Context, opts *Options) error {
	if opts.From != "" || opts.To != "" {
		return cmdutil.FlagErrorf("--from and --to do not apply to -o ics: the feed holds the whole calendar")
	}
	if err := shared.ICSFlags(opts.Render.Flags); err != nil {
		return err
	}
	return shared.WriteICS(ctx, opts.Render, opts.Project)
}
