// Package view implements `portalctl projects view`.
package view

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/browser"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for projects view.
type Options struct {
	Render   *shared.Renderer
	Client   func() (*client.Client, error)
	Browser  browser.Browser
	Project  string
	Web      bool
	PrintURL bool
}

// NewCmdView builds the command.
func NewCmdView(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client, Browser: f.Browser}
	cmd := &cobra.Command{
		Use:   "view ID|NUMBER",
		Short: "Show a project's summary",
		Long: heredoc.Doc(`
			Show a project: number, name, organization, status, dates, lead, description,
			hours and percent complete.

			--web opens the project's page of the portal's web site in your browser
			($BROWSER, else the desktop's opener); --print-url prints that address
			instead. The web address comes from the portal (portald serve --web-url).
		`),
		Example: heredoc.Doc(`
			$ portalctl projects view P20260105.0001
			$ portalctl projects view 1 -o json
			$ portalctl projects view 1 --print-url
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
	cmd.Flags().BoolVar(&opts.Web, "web", false, "Open the project's page in the browser")
	cmd.Flags().BoolVar(&opts.PrintURL, "print-url", false, "Print the address of the project's page instead of its summary")
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
	if !opts.Web && !opts.PrintURL {
		return shared.View(ctx, opts.Render, output.Projects, p)
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	if me.WebURL == nil || *me.WebURL == "" {
		return cmdutil.WithHint(errors.New("this portal has no web address configured"),
			"ask your provider to start portald with --web-url")
	}
	page := fmt.Sprintf("%s/projects/%d", strings.TrimRight(*me.WebURL, "/"), p.ID)
	ios := opts.Render.IO
	if opts.PrintURL {
		_, err := fmt.Fprintln(ios.Out, page)
		return err
	}
	if ios.IsStderrTTY() {
		fmt.Fprintf(ios.ErrOut, "Opening %s in your browser.\n", page)
	}
	if err := opts.Browser.Browse(page); err != nil {
		return cmdutil.WithHint(err, "use --print-url to print the address instead")
	}
	return nil
}
