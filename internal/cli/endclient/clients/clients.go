// Package clients implements `portalctl endclient clients`.
package clients

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for endclient clients.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
}

// NewCmdClients builds the command.
func NewCmdClients(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:     "clients",
		Short:   "List the end clients whose projects are billed to your organization",
		Long:    "List the end clients that have at least one project billed to your organization: the values --client accepts.",
		Example: "$ portalctl endclient clients",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return clientsRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.EndClients.Keys)
	return cmd
}

func clientsRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	return shared.List(ctx, opts.Render, output.EndClients, c.EndClients(ctx, 0))
}
