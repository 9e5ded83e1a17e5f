// Package status implements `portalctl team email status`.
package status

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

// Options for team email status.
type Options struct {
	Render *shared.Renderer
	Client func() (*client.Client, error)
	ID     string
}

// NewCmdStatus builds the command.
func NewCmdStatus(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	cmd := &cobra.Command{
		Use:   "status ID",
		Short: "Show who got a team email you sent",
		Long: heredoc.Doc(`
			Show how a team email you sent went, one line per recipient: sent, queued (the
			portal tries again; the reply says why not yet) or failed (for good; the reply
			is the mail server's, such as 550 for an address it does not know). ID is the
			id that team email printed. Only the sender can see an email's status.

			On a terminal a summary line comes first. With --output json (or --jq) the
			whole email is printed: its status (queued, sent, partial or failed) and its
			recipients.
		`),
		Example: heredoc.Doc(`
			$ portalctl team email status 12
			$ portalctl team email status 12 --jq '.recipients[] | select(.status != "sent") | .address'
		`),
		Args: cmdutil.ExactArgs(1, "team email status needs the id of an email you sent"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cmdutil.IDArg(args[0], "email")
			if err != nil {
				return err
			}
			opts.ID = id
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.RecipientStatuses.Keys)
	return cmd
}

func statusRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	st, err := c.EmailStatus(ctx, opts.ID)
	if err != nil {
		return err
	}
	if opts.Render.Flags.JQ != "" || opts.Render.Flags.Format == string(output.FormatJSON) {
		return shared.Document(ctx, opts.Render, st)
	}
	sent := 0
	for _, r := range st.Recipients {
		if r.Status == "sent" {
			sent++
		}
	}
	shared.Confirm(opts.Render.IO, fmt.Sprintf("Email %d %q: %s, %d of %d recipients have it", st.ID, st.Subject, st.Status, sent, len(st.Recipients)))
	return shared.List(ctx, opts.Render, output.RecipientStatuses, output.Rows(st.Recipients))
}
