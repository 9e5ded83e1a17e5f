// Package list implements `portalctl team list`.
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

// Options for team list.
type Options struct {
	Render    *shared.Renderer
	Client    func() (*client.Client, error)
	Project   string
	EndClient bool
}

// NewCmdList builds the command.
func NewCmdList(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var project string
	cmd := &cobra.Command{
		Use:     "list --project ID|NUMBER",
		Aliases: []string{"ls"},
		Short:   "List a project's team",
		Long:    "List the provider resources and client contacts on a project's team, with organization, email, phone and role. --end-client reads an end-client project's team.",
		Example: heredoc.Doc(`
			$ portalctl team list --project P20260105.0001
			$ portalctl team list --project 5 --end-client -o json --jq '.[].email'
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
	cmd.Flags().BoolVar(&opts.EndClient, "end-client", false, "The project is an end-client project billed to your organization")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.TeamMembers.Keys)
	return cmd
}

func listRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	team := c.Team(ctx, opts.Project, 0)
	if opts.EndClient {
		team = c.EndClientTeam(ctx, opts.Project, 0)
	}
	return shared.List(ctx, opts.Render, output.TeamMembers, team)
}
