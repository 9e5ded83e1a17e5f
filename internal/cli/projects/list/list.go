// Package list implements `portalctl projects list` (My Projects).
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

// Options are the parsed flags and injected dependencies.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Query  client.ProjectsQuery
	Limit  cmdutil.LimitFlags
}

// NewCmdList builds the command; runF replaces listRun in flag tests.
func NewCmdList(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List My Projects",
		Long: heredoc.Doc(`
			List the projects you can see in the portal (My Projects): client projects of
			the organizations in your scope where you are on the team, or all of them when
			your security level allows. Completed projects are left out unless
			--include-completed is given.

			--org picks the organizations ("Show Data For"): all (default), own, or one
			organization of your scope by id or name.
		`),
		Example: heredoc.Doc(`
			$ portalctl projects list
			$ portalctl projects list --org own --include-completed
			$ portalctl projects list --search migration -o csv --output-file projects.csv
			$ portalctl projects list --all -o json --jq '.[].number'
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Query.Org, "org", "", "Organizations to show: all, own, or an organization id or name")
	_ = cmd.RegisterFlagCompletionFunc("org", shared.Complete(f, shared.Organizations))
	cmd.Flags().BoolVar(&opts.Query.IncludeCompleted, "include-completed", false, "Include completed projects")
	cmd.Flags().StringVar(&opts.Query.Search, "search", "", "Only projects whose name or number contains `TEXT`")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Projects.Keys)
	return cmd
}

func listRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.ListUpTo(ctx, opts.Render, output.Projects, limit, c.Projects(ctx, opts.Query, shared.OneMore(limit)))
}
