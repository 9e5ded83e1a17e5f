// Package projects implements `portalctl endclient projects`.
package projects

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

// Options for endclient projects.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Query  client.EndClientProjectsQuery
	Limit  cmdutil.LimitFlags
}

// NewCmdProjects builds the command.
func NewCmdProjects(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "projects [--client ID|NAME] [--include-completed]",
		Short: "List End Client Projects, with billed hours",
		Long: heredoc.Doc(`
			List the projects your provider does for your end clients and bills to your
			organization, with the hours billed to you. Only users of an organization that
			is the billing organization on some contract have any; others get exit code 5.
			These projects are read-only and never appear in projects list.
		`),
		Example: heredoc.Doc(`
			$ portalctl endclient projects
			$ portalctl endclient projects --client "Tailspin Dental" --include-completed -o csv
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return projectsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Query.Client, "client", "", "Only this end client (id or name; see endclient clients)")
	_ = cmd.RegisterFlagCompletionFunc("client", shared.Complete(f, shared.EndClients))
	cmd.Flags().BoolVar(&opts.Query.IncludeCompleted, "include-completed", false, "Include completed projects")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.EndClientProjects.Keys)
	return cmd
}

func projectsRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.ListUpTo(ctx, opts.Render, output.EndClientProjects, limit, c.EndClientProjects(ctx, opts.Query, shared.OneMore(limit)))
}
