// Package list implements `portalctl issue list`.
package list

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

// Options for issue list.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
	Limit   cmdutil.LimitFlags
}

// NewCmdList builds the command.
func NewCmdList(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var project string
	cmd := &cobra.Command{
		Use:     "list --project ID|NUMBER",
		Aliases: []string{"ls"},
		Short:   "List a project's issues",
		Long:    "List the issues of a project: escalated tasks filed by you, your colleagues or provider staff.",
		Example: heredoc.Doc(`
			$ portalctl issue list --project P20260105.0001
			$ portalctl issue list --project 1 -o json --jq '.[] | select(.status != "complete") | .title'
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectFlag(project)
			if err != nil {
				return err
			}
			opts.Project = ref
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "Project id or number (required)")
	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Tasks.Keys)
	return cmd
}

func listRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.ListUpTo(ctx, opts.Render, output.Tasks, limit, c.Issues(ctx, opts.Project, shared.OneMore(limit)))
}
