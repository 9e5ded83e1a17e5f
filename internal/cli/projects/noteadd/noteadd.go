// Package noteadd implements `portalctl projects note add`.
package noteadd

import (
	"context"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for projects note add.
type Options struct {
	Render   *shared.Renderer
	Client   func() (*client.Client, error)
	Project  string
	Title    string
	Body     string
	BodyFile string
	bodySet  bool
}

// NewCmdAdd builds the command.
func NewCmdAdd(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "add ID|NUMBER --title TITLE (--body TEXT | --body-file FILE)",
		Short: "Add a note to a project",
		Long:  "Add a project note (needs the notes permission). Prints the note: a confirmation on a terminal, the record with -o json.",
		Example: heredoc.Doc(`
			$ portalctl projects note add P20260105.0001 --title "Go-live" --body "Agreed for March."
			$ ./summary.sh | portalctl projects note add 1 --title "Weekly summary" --body-file -
		`),
		Args:              cmdutil.ExactArgs(1, "projects note add needs a project id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.ProjectNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectRef(args[0])
			if err != nil {
				return err
			}
			opts.Project = ref
			opts.bodySet = cmd.Flags().Changed("body")
			if strings.TrimSpace(opts.Title) == "" {
				return cmdutil.FlagErrorf("--title is required and must not be blank")
			}
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Title, "title", "", "Note title")
	cmd.Flags().StringVar(&opts.Body, "body", "", "Note text")
	cmd.Flags().StringVar(&opts.BodyFile, "body-file", "", "Read the note text from `FILE` (- for standard input)")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Notes.Keys)
	return cmd
}

func addRun(ctx context.Context, opts *Options) error {
	body, err := shared.Body(opts.Render.IO, opts.Body, opts.BodyFile, opts.bodySet, true)
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	n, err := c.AddNote(ctx, opts.Project, api.NewNote{Title: opts.Title, Body: body})
	if err != nil {
		return err
	}
	if shared.Interactive(opts.Render) {
		shared.Confirm(opts.Render.IO, fmt.Sprintf("✓ Added note %d %q to project %s", n.ID, n.Title, opts.Project))
		return nil
	}
	return shared.View(ctx, opts.Render, output.Notes, n)
}
