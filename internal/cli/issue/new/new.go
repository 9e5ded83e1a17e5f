// Package new implements `portalctl issue new`.
package new

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for issue new.
type Options struct {
	Render         *shared.Renderer
	Client         func() (*client.Client, error)
	Project        string
	Title          string
	Body           string
	BodyFile       string
	Priority       string
	IdempotencyKey string
	IfAbsent       bool
	bodySet        bool
}

// NewCmdNew builds the command.
func NewCmdNew(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var project string
	cmd := &cobra.Command{
		Use:   "new --project ID|NUMBER --title TITLE [--body TEXT | --body-file FILE]",
		Short: "File a project issue",
		Long: heredoc.Doc(`
			File an issue on a project (the portal's New Project Issue). It is created at
			project level with status new and you as its contact.

			Safe to retry: every invocation sends an Idempotency-Key (generated once and
			reused on automatic retries, or --idempotency-key), so a retried request
			returns the first issue instead of filing a second. With --if-absent, an open
			issue of the project with the same title is printed instead of filing a new
			one: a CI job that fails fifty times files one issue. The portal checks and
			files in one step, so jobs running at the same time also file one issue.
		`),
		Example: heredoc.Doc(`
			$ portalctl issue new --project P20260105.0001 --title "Printer offline" --priority high
			$ portalctl issue new --project 1 --title "Nightly backup failed" --body-file build.log --if-absent -o json
			$ go test ./... 2>&1 | portalctl issue new --project 1 --title "Tests failing on main" --body-file -
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := cmdutil.ProjectFlag(project)
			if err != nil {
				return err
			}
			opts.Project = ref
			opts.bodySet = cmd.Flags().Changed("body")
			if strings.TrimSpace(opts.Title) == "" {
				return cmdutil.FlagErrorf("--title is required")
			}
			if len(opts.IdempotencyKey) > api.MaxIdempotency {
				return cmdutil.FlagErrorf("--idempotency-key is longer than %d characters", api.MaxIdempotency)
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "Project id or number (required)")
	cmd.Flags().StringVar(&opts.Title, "title", "", "Issue title (required, up to 255 characters)")
	cmd.Flags().StringVar(&opts.Body, "body", "", "Issue description")
	cmd.Flags().StringVar(&opts.BodyFile, "body-file", "", "Read the description from `FILE` (- for standard input)")
	cmdutil.StringEnumFlag(cmd, &opts.Priority, "priority", "p", "medium", []string{"low", "medium", "high", "critical"}, "Priority")
	cmd.Flags().StringVar(&opts.IdempotencyKey, "idempotency-key", "", "Key that makes retries return the first issue (default: one per invocation)")
	cmd.Flags().BoolVar(&opts.IfAbsent, "if-absent", false, "Print the open issue with the same title instead of filing another")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags)
	return cmd
}

func newRun(ctx context.Context, opts *Options) error {
	body, err := shared.Body(opts.Render.IO, opts.Body, opts.BodyFile, opts.bodySet, false)
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	key := opts.IdempotencyKey
	if key == "" {
		key = newKey()
	}
	in := api.NewIssue{Title: opts.Title, Description: body, Priority: opts.Priority}
	if opts.IfAbsent {
		t, created, err := c.NewIssueIfAbsent(ctx, opts.Project, in, key)
		if olderServer(err) {
			return fileIfAbsentHere(ctx, opts, c, in, key)
		}
		if err != nil {
			return err
		}
		if !created {
			return show(ctx, opts, t, "Issue %s %q is already open")
		}
		return show(ctx, opts, t, "✓ Filed issue %s %q")
	}
	t, err := c.NewIssue(ctx, opts.Project, in, key)
	if err != nil {
		return err
	}
	return show(ctx, opts, t, "✓ Filed issue %s %q")
}

// olderServer reports a portald that does not know if_absent (it refuses
// unknown fields).
func olderServer(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == api.CodeInvalidRequest && strings.Contains(e.Message, "if_absent")
}

// fileIfAbsentHere is --if-absent for a portald that cannot check on its
// own: look for the open issue, then file. Concurrent jobs may then file
// more than one.
func fileIfAbsentHere(ctx context.Context, opts *Options, c *client.Client, in api.NewIssue, key string) error {
	for t, err := range c.Issues(ctx, opts.Project, 0) {
		if err != nil {
			return err
		}
		if t.Status != api.TaskComplete && strings.EqualFold(strings.TrimSpace(t.Title), strings.TrimSpace(opts.Title)) {
			return show(ctx, opts, t, "Issue %s %q is already open")
		}
	}
	t, err := c.NewIssue(ctx, opts.Project, in, key)
	if err != nil {
		return err
	}
	return show(ctx, opts, t, "✓ Filed issue %s %q")
}

func show(ctx context.Context, opts *Options, t api.Task, confirm string) error {
	if shared.Interactive(opts.Render) {
		shared.Confirm(opts.Render.IO, fmt.Sprintf(confirm, t.Number, t.Title))
		return nil
	}
	return shared.View(ctx, opts.Render, output.Tasks, t)
}

// newKey is a random key for this invocation: the client reuses it on its
// automatic retries, so a request that reached the server once files once.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "portalctl-" + hex.EncodeToString(b)
}
