// Package view implements `portalctl tasks view`.
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

// Options for tasks view.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Task   string
	Notes  bool
}

// NewCmdView builds the command.
func NewCmdView(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "view ID|NUMBER",
		Short: "Show a task or issue",
		Long:  "Show a task or issue of one of your projects (or, read-only, one billed to your organization); --notes lists its notes instead.",
		Example: heredoc.Doc(`
			$ portalctl tasks view T20260105.0001
			$ portalctl tasks view 100 --notes
		`),
		Args:              cmdutil.ExactArgs(1, "tasks view needs a task id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.TaskNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.TaskRef(args[0])
			if err != nil {
				return err
			}
			opts.Task = ref
			if runF != nil {
				return runF(opts)
			}
			return viewRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Notes, "notes", false, "List the task's notes")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, func() []string {
		if opts.Notes {
			return output.TaskNotes.Keys()
		}
		return output.Tasks.Keys()
	})
	return cmd
}

func viewRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Notes {
		return shared.List(ctx, opts.Render, output.TaskNotes, c.TaskNotes(ctx, opts.Task, 0))
	}
	t, err := c.Task(ctx, opts.Task)
	if err != nil {
		return err
	}
	return shared.View(ctx, opts.Render, output.Tasks, t)
}
