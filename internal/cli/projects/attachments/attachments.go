// Package attachments implements `portalctl projects attachments`.
package attachments

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

// Options for projects attachments.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
	Limit   cmdutil.LimitFlags
}

// NewCmdAttachments builds the command.
func NewCmdAttachments(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "attachments ID|NUMBER",
		Short: "List a project's attachments",
		Long:  "List a project's attachments with size and SHA-256 (needs the attachments permission). Download one with `portalctl attachment download ID`.",
		Example: heredoc.Doc(`
			$ portalctl projects attachments P20260105.0001
			$ portalctl projects attachments 1 -o json --jq '.[] | select(.size > 1000000) | .name'
		`),
		Args:              cmdutil.ExactArgs(1, "projects attachments needs a project id or number"),
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
			return attachmentsRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Attachments.Keys)
	return cmd
}

func attachmentsRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.ListUpTo(ctx, opts.Render, output.Attachments, limit, c.Attachments(ctx, opts.Project, shared.OneMore(limit)))
}
