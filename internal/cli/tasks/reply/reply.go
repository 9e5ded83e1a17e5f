// Package reply implements `portalctl tasks reply`: the portal's "Respond
// to this task via email", a mailto: link to the provider's support address.
package reply

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/client"
)

// Options for tasks reply.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Task   string
}

// NewCmdReply builds the command.
func NewCmdReply(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "reply ID|NUMBER",
		Short: "Print a mailto: link to answer a task by email",
		Long: heredoc.Doc(`
			Print a mailto: link addressed to your provider's support address, with the
			task number in the subject, as the portal's "Respond to this task via email"
			does. Open it with your mail program, e.g. xdg-open "$(portalctl tasks reply ID)".
		`),
		Example:           `$ xdg-open "$(portalctl tasks reply T20260105.0001)"`,
		Args:              cmdutil.ExactArgs(1, "tasks reply needs a task id or number"),
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
			return replyRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func replyRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	t, err := c.Task(ctx, opts.Task)
	if err != nil {
		return err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	if strings.TrimSpace(me.SupportEmail) == "" {
		// A link without an address opens a mail nobody would receive.
		return errors.New("your provider's portal has no support email address to reply to; ask your provider to set one, or add a note with `portalctl tasks note`")
	}
	subject := fmt.Sprintf("Task %s: %s", t.Number, t.Title)
	q := url.Values{"subject": {subject}}
	link := "mailto:" + me.SupportEmail + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	_, err = fmt.Fprintln(opts.IO.Out, link)
	return err
}
