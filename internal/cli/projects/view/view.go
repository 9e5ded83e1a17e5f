// Package view implements `portalctl projects view`.
package view

import (
	"context"
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for projects view.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
	Web     bool
}

// NewCmdView builds the command.
func NewCmdView(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "view ID|NUMBER",
		Short: "Show a project's summary",
		Long:  "Show a project: number, name, organization, status, dates, lead, description, hours and percent complete.",
		Example: heredoc.Doc(`
			$ portalctl projects view P20260105.0001
			$ portalctl projects view 1 -o json
			$ portalctl projects view 1 --web
		`),
		Args: cmdutil.ExactArgs(1, "projects view needs a project id or number"),
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
	cmd.Flags().BoolVar(&opts.Web, "web", false, "Print the project's Portal API address instead of its summary")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags)
	return cmd
}

func viewRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	p, err := c.Project(ctx, opts.Project)
	if err != nil {
		return err
	}
	if opts.Web {
		_, err := fmt.Fprintf(opts.Render.IO.Out, "%s/v1/projects/%d\n", c.BaseURL(), p.ID)
		return err
	}
	return shared.View(ctx, opts.Render, output.Projects, p)
}
