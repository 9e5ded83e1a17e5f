// Package note implements `portalctl tasks note`.
package note

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

// Options for tasks note.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Task    string
	Subject string
	Message string
}

// NewCmdNote builds the command.
func NewCmdNote(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "note ID|NUMBER --subject S --message M",
		Short: "Add a note to a task",
		Long:  "Add a note (subject and message, both required) to a task. The task's assigned resource is notified when your organization has notifications on.",
		Example: heredoc.Doc(`
			$ portalctl tasks note T20260105.0001 --subject "Licences" --message "42 E3 licences confirmed."
		`),
		Args:              cmdutil.ExactArgs(1, "tasks note needs a task id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.TaskNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.TaskRef(args[0])
			if err != nil {
				return err
			}
			opts.Task = ref
			// Blank counts as missing (portal-rules: both required, non-blank);
			// catching it here saves a round trip and gives exit code 2.
			if strings.TrimSpace(opts.Subject) == "" || strings.TrimSpace(opts.Message) == "" {
				return cmdutil.FlagErrorf("--subject and --message are both required")
			}
			if runF != nil {
				return runF(opts)
			}
			return noteRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Subject, "subject", "", "Note subject (up to 250 characters)")
	cmd.Flags().StringVar(&opts.Message, "message", "", "Note message")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.TaskNotes.Keys)
	return cmd
}

func noteRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	n, err := c.AddTaskNote(ctx, opts.Task, api.NewTaskNote{Subject: opts.Subject, Body: opts.Message})
	if err != nil {
		return err
	}
	if shared.Interactive(opts.Render) {
		shared.Confirm(opts.Render.IO, fmt.Sprintf("✓ Added note %d to task %s", n.ID, opts.Task))
		return nil
	}
	return shared.View(ctx, opts.Render, output.TaskNotes, n)
}
