// Package open implements `portalctl tasks open` (My Open Tasks).
package open

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

// Options for tasks open.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
	Limit   cmdutil.LimitFlags
}

// NewCmdOpen builds the command.
func NewCmdOpen(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var project string
	cmd := &cobra.Command{
		Use:   "open [--project ID|NUMBER]",
		Short: "List My Open Tasks: tasks waiting for you",
		Long: heredoc.Doc(`
			List the tasks waiting for a response from you, across your projects: tasks in
			status "waiting customer", and tasks whose contact you are that you may
			complete yourself.
		`),
		Example: heredoc.Doc(`
			$ portalctl tasks open
			$ portalctl tasks open --project P20260105.0001 -o json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if project != "" {
				ref, err := cmdutil.ProjectFlag(project)
				if err != nil {
					return err
				}
				opts.Project = ref
			}
			if runF != nil {
				return runF(opts)
			}
			return openRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "Only tasks of this project (id or number)")
	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Tasks.Keys)
	return cmd
}

func openRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.ListUpTo(ctx, opts.Render, output.Tasks, limit, c.OpenTasks(ctx, opts.Project, shared.OneMore(limit)))
}
