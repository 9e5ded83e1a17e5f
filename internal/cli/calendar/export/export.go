// Package export implements `portalctl calendar export`.
package export

import (
	"context"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
)

// Options for calendar export.
type Options struct {
	Render  *shared.Renderer // its Client reads the feed
	Project string
}

// NewCmdExport builds the command.
func NewCmdExport(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f)}
	var format, project string
	cmd := &cobra.Command{
		Use:   "export [-o ics] [--project ID|NUMBER] [--output-file FILE]",
		Short: "Write your portal calendar as an iCalendar (.ics) file",
		Long: heredoc.Doc(`
			Write your portal calendar, the same feed 'portalctl calendar subscribe' gives a
			calendar app, as iCalendar (RFC 5545): to standard output, or to --output-file,
			which is replaced only once complete. Import the file into any calendar; the
			items keep their UIDs, so importing a newer export updates them.
		`),
		Example: heredoc.Doc(`
			$ portalctl calendar export --output-file portal.ics
			$ portalctl calendar export --project P20260105.0001 -o ics > project.ics
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if project != "" {
				ref, err := cmdutil.ProjectRef(project)
				if err != nil {
					return err
				}
				opts.Project = ref
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(cmd.Context(), opts)
		},
	}
	cmdutil.StringEnumFlag(cmd, &format, "output", "o", shared.FormatICS, []string{shared.FormatICS}, "Output format")
	cmd.Flags().StringVar(&project, "project", "", "Only this project (`ID|NUMBER`)")
	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))
	cmd.Flags().StringVar(&opts.Render.Flags.OutputFile, "output-file", "", "Write to this file, replaced only once complete")
	return cmd
}

func exportRun(ctx context.Context, opts *Options) error {
	return shared.WriteICS(ctx, opts.Render, opts.Project)
}
