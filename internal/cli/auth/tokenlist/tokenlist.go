// Package tokenlist implements `portalctl auth token list`.
package tokenlist

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

// Options for auth token list.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
}

// NewCmdList builds the command.
func NewCmdList(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List your access tokens",
		Long: heredoc.Doc(`
			List your access tokens that are not revoked: id, name, when each was created,
			expires and was last used, and which one portalctl is using now (current).
			The secrets themselves are never shown.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth token list
			$ portalctl auth token list -o json --jq '.[] | select(.current) | .expires_at'
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Tokens.Keys)
	return cmd
}

func listRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	tokens, err := c.Tokens(ctx)
	if err != nil {
		return err
	}
	return shared.List(ctx, opts.Render, output.Tokens, output.Rows(tokens))
}
