// Package notes implements `portalctl projects notes`.
package notes

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

// Options for projects notes.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
	Limit   cmdutil.LimitFlags
}

// NewCmdNotes builds the command.
func NewCmdNotes(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "notes ID|NUMBER",
		Short: "List a project's notes",
		Long:  "List the published notes of a project (needs the notes permission).",
		Example: heredoc.Doc(`
			$ portalctl projects notes P20260105.0001
			$ portalctl projects notes 1 -o json --jq '.[].title'
		`),
		Args:              cmdutil.ExactArgs(1, "projects notes needs a project id or number"),
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
			return notesRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Notes.Keys)
	return cmd
}

func notesRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.ListUpTo(ctx, opts.Render, output.Notes, limit, c.Notes(ctx, opts.Project, shared.OneMore(limit)))
}
