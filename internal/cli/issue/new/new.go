// Package new implements `portalctl issue new`.
package new

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
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
	Attach         []string
	bodySet        bool
	readFile       func(string) ([]byte, error)
}

// NewCmdNew builds the command.
func NewCmdNew(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client, readFile: os.ReadFile}
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
			files in one step, so jobs running at the same time also file one issue. With
			-o json the record says "created": true when this run filed the issue, false
			when it was already there, so a script can branch on it.

			A description over 32,000 characters (a CI log) is not refused: the issue gets
			its first and last lines with a marker line saying what was cut, and the whole
			text is attached to the new issue (as the --body-file's name, or body.txt).
			--attach adds files too. Attachments are added only when the issue is created,
			never to one that was already open.
		`),
		Example: heredoc.Doc(`
			$ portalctl issue new --project P20260105.0001 --title "Printer offline" --priority high
			$ portalctl issue new --project 1 --title "Nightly backup failed" --body-file build.log --if-absent -o json
			$ go test ./... 2>&1 | portalctl issue new --project 1 --title "Tests failing on main" --body-file - --attach go.mod
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
	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))
	cmd.Flags().StringVar(&opts.Title, "title", "", "Issue title (required, up to 255 characters)")
	cmd.Flags().StringVar(&opts.Body, "body", "", "Issue description")
	cmd.Flags().StringVar(&opts.BodyFile, "body-file", "", "Read the description from `FILE` (- for standard input)")
	cmdutil.StringEnumFlag(cmd, &opts.Priority, "priority", "p", "medium", []string{"low", "medium", "high", "critical"}, "Priority")
	cmd.Flags().StringVar(&opts.IdempotencyKey, "idempotency-key", "", "Key that makes retries return the first issue (default: one per invocation)")
	cmd.Flags().BoolVar(&opts.IfAbsent, "if-absent", false, "Print the open issue with the same title instead of filing another")
	cmd.Flags().StringArrayVar(&opts.Attach, "attach", nil, "Attach `FILE` to the new issue (repeatable)")
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.FiledIssues.Keys)
	return cmd
}

func newRun(ctx context.Context, opts *Options) error {
	body, err := shared.Body(opts.Render.IO, opts.Body, opts.BodyFile, opts.bodySet, false)
	if err != nil {
		return err
	}
	files, err := readAttachments(opts)
	if err != nil {
		return err
	}
	// A body over the limit keeps its head and tail; the whole text goes
	// along as an attachment.
	whole := bodyName(opts.BodyFile)
	if fitted, cut := shared.FitBody(body, api.MaxBody, "the whole text is attached to this issue as "+whole); cut {
		files = append([]attachment{{name: whole, contentType: "text/plain; charset=utf-8", content: []byte(body)}}, files...)
		body = fitted
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
	var filed output.FiledIssue
	if opts.IfAbsent {
		if filed, err = fileIfAbsent(ctx, opts, c, in, key); err != nil {
			return err
		}
		if !filed.Created {
			return show(ctx, opts, filed, "Issue %s %q is already open")
		}
	} else {
		r, err := c.FileIssue(ctx, opts.Project, in, key)
		if err != nil {
			return err
		}
		// A key of this run's own that the server replays (the answer to a
		// first attempt was lost and the retry found its issue) is still
		// this run's issue; a replayed --idempotency-key is an earlier run's.
		filed = output.FiledIssue{Issue: r.Issue, Created: r.Created || opts.IdempotencyKey == ""}
	}
	if err := attachAll(ctx, c, filed, files); err != nil {
		_ = show(ctx, opts, filed, "✓ Filed issue %s %q")
		return err
	}
	return show(ctx, opts, filed, "✓ Filed issue %s %q")
}

// fileIfAbsent files the issue unless one with its title is open; the
// server decides both in one transaction, so concurrent CI jobs file one.
func fileIfAbsent(ctx context.Context, opts *Options, c *client.Client, in api.NewIssue, key string) (output.FiledIssue, error) {
	t, created, err := c.NewIssueIfAbsent(ctx, opts.Project, in, key)
	if olderServer(err) {
		return fileIfAbsentHere(ctx, opts, c, in, key)
	}
	return output.FiledIssue{Issue: t, Created: created}, err
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
func fileIfAbsentHere(ctx context.Context, opts *Options, c *client.Client, in api.NewIssue, key string) (output.FiledIssue, error) {
	for t, err := range c.Issues(ctx, opts.Project, 0) {
		if err != nil {
			return output.FiledIssue{}, err
		}
		if t.Status != api.TaskComplete && strings.EqualFold(strings.TrimSpace(t.Title), strings.TrimSpace(opts.Title)) {
			return output.FiledIssue{Issue: t}, nil
		}
	}
	r, err := c.FileIssue(ctx, opts.Project, in, key)
	return output.FiledIssue{Issue: r.Issue, Created: r.Created || opts.IdempotencyKey == ""}, err
}

// attachment is a file to add to the new issue.
type attachment struct {
	name, contentType string
	content           []byte
}

// readAttachments reads every --attach file before anything is filed: a
// missing file is a usage error, not an issue without its log.
func readAttachments(opts *Options) ([]attachment, error) {
	var out []attachment
	for _, path := range opts.Attach {
		b, err := opts.readFile(path)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--attach: %v", err)
		}
		if len(b) > api.MaxAttachment {
			return nil, cmdutil.FlagErrorf("--attach %s: %d bytes is over the portal's limit of %d", path, len(b), api.MaxAttachment)
		}
		ct := mime.TypeByExtension(filepath.Ext(path))
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		out = append(out, attachment{name: filepath.Base(path), contentType: ct, content: b})
	}
	return out, nil
}

// bodyName is the attachment name of a whole body: the --body-file's name,
// or body.txt for --body and standard input.
func bodyName(bodyFile string) string {
	if bodyFile == "" || bodyFile == "-" {
		return "body.txt"
	}
	return filepath.Base(bodyFile)
}

// attachAll adds the files to an issue this run created (never to one that
// was already open: fifty failing runs would attach fifty logs).
func attachAll(ctx context.Context, c *client.Client, filed output.FiledIssue, files []attachment) error {
	if !filed.Created {
		return nil
	}
	for _, f := range files {
		if _, err := c.AddTaskAttachment(ctx, strconv.FormatInt(filed.Issue.ID, 10), f.name, f.contentType, f.content); err != nil {
			return cmdutil.WithHint(fmt.Errorf("issue %s was filed, but attaching %s failed: %w", filed.Issue.Number, f.name, err),
				"the issue exists: do not file it again; attach the file in the portal")
		}
	}
	return nil
}

func show(ctx context.Context, opts *Options, f output.FiledIssue, confirm string) error {
	if shared.Interactive(opts.Render) {
		shared.Confirm(opts.Render.IO, fmt.Sprintf(confirm, f.Issue.Number, f.Issue.Title))
		return nil
	}
	return shared.View(ctx, opts.Render, output.FiledIssues, f)
}

// newKey is a random key for this invocation: the client reuses it on its
// automatic retries, so a request that reached the server once files once.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "portalctl-" + hex.EncodeToString(b)
}
