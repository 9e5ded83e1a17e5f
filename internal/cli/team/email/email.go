// Package email implements `portalctl team email`.
package email

import (
	"context"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/internal/cli/team/email/status"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for team email.
type Options struct {
	Render    *shared.Renderer
	Client    func() (*client.Client, error)
	Project   string
	Subject   string
	Body      string
	BodyFile  string
	EndClient bool
	bodySet   bool
}

// NewCmdEmail builds the command.
func NewCmdEmail(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var project string
	cmd := &cobra.Command{
		Use:   "email --project ID|NUMBER --subject S (--body TEXT | --body-file FILE)",
		Short: "Email a project's team",
		Long: heredoc.Doc(`
			Email every member of a project's team that has an address (provider staff and
			client contacts); replies go to you. Each member gets a copy addressed to them.
			The portal records every email and sends it, retrying while its mail server is
			down; "queued" means not every member has it yet, and
			portalctl team email status ID shows who has.

			Emails count against a limit per user (team emails and the notifications your
			task notes send): past it the portal answers "too many requests" (exit 7) and
			sends nothing; try again after the time it gives.
		`),
		Example: heredoc.Doc(`
			$ portalctl team email --project P20260105.0001 --subject "Cut-over" --body "Is Friday OK?"
			$ portalctl team email --project 5 --end-client --subject "Status" --body-file notes.txt
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectFlag(project)
			if err != nil {
				return err
			}
			opts.Project = ref
			opts.bodySet = cmd.Flags().Changed("body")
			if strings.TrimSpace(opts.Subject) == "" {
				return cmdutil.FlagErrorf("--subject is required")
			}
			if runF != nil {
				return runF(opts)
			}
			return emailRun(cmd.Context(), opts)
		},
	}
	cmd.AddCommand(status.NewCmdStatus(f, nil))
	cmd.Flags().StringVar(&project, "project", "", "Project id or number (required)")
	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))
	cmd.Flags().StringVar(&opts.Subject, "subject", "", "Subject (required)")
	cmd.Flags().StringVar(&opts.Body, "body", "", "Message text")
	cmd.Flags().StringVar(&opts.BodyFile, "body-file", "", "Read the message from `FILE` (- for standard input)")
	cmd.Flags().BoolVar(&opts.EndClient, "end-client", false, "The project is an end-client project billed to your organization")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.EmailResults.Keys)
	return cmd
}

func emailRun(ctx context.Context, opts *Options) error {
	body, err := shared.Body(opts.Render.IO, opts.Body, opts.BodyFile, opts.bodySet, true)
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	send := c.EmailTeam
	if opts.EndClient {
		send = c.EndClientEmailTeam
	}
	res, err := send(ctx, opts.Project, api.TeamEmail{Subject: opts.Subject, Body: body})
	if err != nil {
		return err
	}
	if shared.Interactive(opts.Render) {
		members := "team members"
		if len(res.Recipients) == 1 {
			members = "team member"
		}
		shared.Confirm(opts.Render.IO, fmt.Sprintf("✓ Email %s to %d %s: %s", res.Status, len(res.Recipients), members, strings.Join(res.Recipients, ", ")))
		if res.Status != "sent" {
			shared.Confirm(opts.Render.IO, fmt.Sprintf("  See who has it: portalctl team email status %d", res.ID))
		}
		return nil
	}
	return shared.View(ctx, opts.Render, output.EmailResults, res)
}
