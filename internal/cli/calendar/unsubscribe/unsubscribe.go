// Package unsubscribe implements `portalctl calendar unsubscribe`.
package unsubscribe

import (
	"context"
	"fmt"
	"strconv"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
)

// Options for calendar unsubscribe.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	ID     int64
}

// NewCmdUnsubscribe builds the command.
func NewCmdUnsubscribe(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "unsubscribe ID",
		Short: "Revoke a calendar subscription",
		Long: heredoc.Doc(`
			Revoke a calendar subscription at once: its URL stops working (the calendar app
			keeps what it has read, and gets no more). The ids are in 'portalctl calendar list'.
		`),
		Example: heredoc.Doc(`
			# subscriptions and their ids
			$ portalctl calendar list
			# a subscription made and revoked in one go
			$ portalctl calendar unsubscribe "$(portalctl calendar subscribe --name old-phone -o json --jq .id)"
		`),
		Args:              cmdutil.ExactArgs(1, "calendar unsubscribe needs a subscription id (see portalctl calendar list)"),
		ValidArgsFunction: shared.CompleteArg(f, shared.CalendarFeedIDs),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.IDArg(args[0], "subscription")
			if err != nil {
				return err
			}
			opts.ID, _ = strconv.ParseInt(ref, 10, 64)
			if runF != nil {
				return runF(opts)
			}
			return unsubscribeRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func unsubscribeRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.Unsubscribe(ctx, opts.ID); err != nil {
		if client.IsNotFound(err) {
			return cmdutil.WithHint(err, "see your subscriptions with `portalctl calendar list`")
		}
		return err
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "✓ Revoked calendar subscription %d\n", opts.ID)
	}
	return nil
}
