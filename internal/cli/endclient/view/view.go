// Package view implements `portalctl endclient view`.
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

// Options for endclient view.
type Options struct {
	Render   *shared.Renderer
	Client   func() (*client.Client, error)
	Project  string
	Schedule bool
}

// NewCmdView builds the command.
func NewCmdView(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "view ID|NUMBER [--schedule]",
		Short: "Show an end-client project (read-only)",
		Long:  "Show an end-client project with the hours billed to your organization; --schedule shows the tasks billed to you instead.",
		Example: heredoc.Doc(`
			$ portalctl endclient view P20260201.0005
			$ portalctl endclient view 5 --schedule
		`),
		Args:              cmdutil.ExactArgs(1, "endclient view needs a project id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.EndClientProjectNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectRef(args[0])
			if err != nil {
				return err
			}
			opts.Project = ref
			if runF != nil {
				return runF(opts)
			}
			return viewRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Schedule, "schedule", false, "Show the schedule of tasks billed to your organization")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, func() []string {
		if opts.Schedule {
			return output.ScheduleItems.Keys()
		}
		return output.EndClientProjects.Keys()
	})
	return cmd
}

func viewRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Schedule {
		s, err := c.EndClientSchedule(ctx, opts.Project)
		if err != nil {
			return err
		}
		return shared.Schedule(ctx, opts.Render, s)
	}
	p, err := c.EndClientProject(ctx, opts.Project)
	if err != nil {
		return err
	}
	return shared.View(ctx, opts.Render, output.EndClientProjects, p)
}
