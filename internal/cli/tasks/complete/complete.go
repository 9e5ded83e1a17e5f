// Package complete implements `portalctl tasks complete`.
package complete

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

// Options for tasks complete.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Task   string
}

// NewCmdComplete builds the command.
func NewCmdComplete(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "complete ID|NUMBER",
		Short: "Complete a task that you may complete",
		Long: heredoc.Doc(`
			Complete a task your provider made client-completable and whose contact you
			are. Completing a task that is already complete succeeds and changes nothing,
			so a retried call is safe.
		`),
		Example:           "$ portalctl tasks complete T20260105.0002",
		Args:              cmdutil.ExactArgs(1, "tasks complete needs a task id or number"),
		ValidArgsFunction: shared.CompleteArg(f, shared.TaskNumbers),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.TaskRef(args[0])
			if err != nil {
				return err
			}
			opts.Task = ref
			if runF != nil {
				return runF(opts)
			}
			return completeRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.CompleteResults.Keys)
	return cmd
}

func completeRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	res, err := c.CompleteTask(ctx, opts.Task)
	if err != nil {
		return err
	}
	if shared.Interactive(opts.Render) {
		msg := fmt.Sprintf("✓ Completed task %s %q", res.Number, res.Title)
		if res.AlreadyComplete {
			msg = fmt.Sprintf("Task %s was already complete", res.Number)
		}
		shared.Confirm(opts.Render.IO, msg)
		return nil
	}
	return shared.View(ctx, opts.Render, output.CompleteResults, res)
}
