// Package schedule implements `portalctl projects schedule`.
package schedule

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

// Options for projects schedule.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
}

// NewCmdSchedule builds the command.
func NewCmdSchedule(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "schedule ID|NUMBER",
		Short: "Show a project's phases, tasks and issues with outline numbers",
		Long: heredoc.Doc(`
			Show the project schedule: phases (with sub-phases), the tasks visible in the
			portal and the issues, in order, numbered 1, 1.2, 1.2.3. Issues filed by
			clients sit at project level. With -o json the output is the tree itself.
		`),
		Example: heredoc.Doc(`
			$ portalctl projects schedule P20260105.0001
			$ portalctl projects schedule 1 -o json --jq '.items[].title'
		`),
		Args:              cmdutil.ExactArgs(1, "projects schedule needs a project id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.ProjectNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectRef(args[0])
			if err != nil {
				return err
			}
			opts.Project = ref
			if runF != nil {
				return runF(opts)
			}
			return scheduleRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.ScheduleItems.Keys)
	return cmd
}

func scheduleRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := c.Schedule(ctx, opts.Project)
	if err != nil {
		return err
	}
	return shared.Schedule(ctx, opts.Render, s)
}
