// Package list implements `portalctl calendar list`.
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

// Options for calendar list.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
}

// NewCmdList builds the command.
func NewCmdList(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List your calendar subscriptions",
		Long: heredoc.Doc(`
			List your calendar subscriptions (from 'portalctl calendar subscribe'), newest
			first, with when a calendar app last read each. Their URLs are not shown: the
			portal keeps only a hash of each token.
		`),
		Example: "$ portalctl calendar list",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.CalendarFeeds.Keys)
	return cmd
}

func listRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	feeds, err := c.CalendarFeeds(ctx)
	if err != nil {
		return err
	}
	return shared.List(ctx, opts.Render, output.CalendarFeeds, output.Rows(feeds))
}
