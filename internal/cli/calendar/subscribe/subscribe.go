// Package subscribe implements `portalctl calendar subscribe`.
package subscribe

import (
	"context"
	"fmt"
	"io"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for calendar subscribe.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	Name   string
}

// NewCmdSubscribe builds the command.
func NewCmdSubscribe(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "subscribe [--name NAME]",
		Short: "Print a URL your calendar app can subscribe to",
		Long: heredoc.Doc(`
			Create a calendar subscription and print its URL. Give the URL to your calendar
			app, which then reads your portal calendar (your projects' calendar events, their
			start and end dates, the due dates of your open tasks) and keeps it current:

			  Outlook:          Add calendar > Subscribe from web, paste the URL
			  Google Calendar:  Other calendars > + > From URL, paste the URL
			  Apple Calendar:   File > New Calendar Subscription, paste the URL

			The URL holds a feed token: it reads this calendar and nothing else of the
			portal, and needs no login, so treat it like a password. Each app can get its
			own (--name says which is which in 'portalctl calendar list'); revoke one with
			'portalctl calendar unsubscribe ID'.

			Without -o only the URL is printed (on stdout); -o json prints the subscription.
		`),
		Example: heredoc.Doc(`
			$ portalctl calendar subscribe --name outlook
			$ portalctl calendar subscribe -o json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return subscribeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "A `NAME` for this subscription (default \"calendar\")")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.CalendarSubscriptions.Keys)
	return cmd
}

func subscribeRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	f, err := c.Subscribe(ctx, opts.Name)
	if err != nil {
		return err
	}
	sub := output.CalendarSubscription{CalendarFeed: f.CalendarFeed, URL: c.FeedURL(f.Path)}
	fl := opts.Render.Flags
	if fl.Format != "" || fl.JQ != "" {
		return shared.View(ctx, opts.Render, output.CalendarSubscriptions, sub)
	}
	ios := opts.Render.IO
	if _, err := fmt.Fprintln(ios.Out, sub.URL); err != nil {
		return err
	}
	if ios.IsStderrTTY() {
		hint(ios.ErrOut, sub)
	}
	return nil
}

// hint tells a person at a terminal what to do with the URL.
func hint(w io.Writer, sub output.CalendarSubscription) {
	fmt.Fprintf(w, "✓ Created calendar subscription %d (%s)\n", sub.ID, output.Sanitize(sub.Name))
	fmt.Fprintln(w, "  Paste the URL into Outlook (Add calendar > Subscribe from web) or Google Calendar (Other calendars > From URL).")
	fmt.Fprintf(w, "  Anyone with it can read this calendar: revoke it with `portalctl calendar unsubscribe %d`.\n", sub.ID)
}
