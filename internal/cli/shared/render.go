// Package shared holds what the portal commands (projects, tasks, issue,
// team, endclient, attachment) have in common: rendering rows through
// pkg/output with the command's output flags, and turning the server's
// "unknown --org/--client" answers into usage errors.
package shared

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Renderer prints one command's rows with its output flags.
type Renderer struct {
	IO     *iostreams.IOStreams
	Flags  cmdutil.OutputFlags
	Config func() (*config.Config, error)
	Client func() (*client.Client, error)
	// Me, when set, is the signed-in user already fetched: its
	// organization's time zone is used instead of fetching it again.
	Me *api.Me
}

// NewRenderer takes the streams, config and client from the factory.
func NewRenderer(f *factory.Factory) *Renderer {
	return &Renderer{IO: f.IOStreams, Config: f.Config, Client: f.Client}
}

// Options resolves the output options. The organization's time zone is
// fetched (GET /v1/me) for a table, CSV or TSV, which show timestamps in it,
// unless --tz, the tz setting or --jq decides. (Lists whose columns hold no
// timestamp still fetch it: the row model does not say so yet.)
func (r *Renderer) Options(ctx context.Context) (output.Options, error) {
	var defFormat, defTZ string
	if r.Config != nil {
		cfg, err := r.Config()
		if err != nil {
			return output.Options{}, err
		}
		defFormat, _ = cfg.Get("output")
		defTZ, _ = cfg.Get("tz")
	}
	opts, err := r.Flags.Options(r.IO, defFormat, defTZ, "")
	if err != nil || r.Flags.TZ != "" || defTZ != "" || r.Flags.JQ != "" {
		return opts, err
	}
	switch opts.Format {
	case output.FormatTable, output.FormatCSV, output.FormatTSV:
		if r.Me != nil {
			return r.Flags.Options(r.IO, defFormat, defTZ, r.Me.Organization.TimeZone)
		}
		c, err := r.Client()
		if err != nil {
			return opts, err
		}
		me, err := c.Me(ctx)
		if err != nil {
			return opts, err
		}
		return r.Flags.Options(r.IO, defFormat, defTZ, me.Organization.TimeZone)
	}
	return opts, nil
}

// List renders a stream of rows to stdout or --output-file. A failure or an
// interrupt midway removes the partial output file. A long export to a
// file reports its progress on a terminal's stderr.
func List[T any](ctx context.Context, r *Renderer, m *output.Model[T], rows iter.Seq2[T, error]) error {
	p := r.progress()
	err := render(ctx, r, func(w io.Writer, opts output.Options) error { return output.WriteList(w, m, opts, count(p, rows)) })
	p.done(err)
	return err
}

// ListUpTo renders at most limit rows (0: all) of rows, which must yield
// limit+1 rows when there are more: the extra row is not shown, but says
// there are more, which a terminal user is told on stderr with what to
// do (gh's "Showing 30 of …"; the API gives no total).
func ListUpTo[T any](ctx context.Context, r *Renderer, m *output.Model[T], limit int, rows iter.Seq2[T, error]) error {
	if limit <= 0 {
		return List(ctx, r, m, rows)
	}
	more := false
	cut := func(yield func(T, error) bool) {
		n := 0
		for row, err := range rows {
			if err == nil && n == limit {
				more = true
				return
			}
			n++
			if !yield(row, err) {
				return
			}
		}
	}
	if err := List(ctx, r, m, cut); err != nil {
		return err
	}
	if more && r.IO.IsStderrTTY() {
		fmt.Fprintf(r.IO.ErrOut, "Showing the first %d rows; more match: use --all for every row, or --limit N\n", limit)
	}
	return nil
}

// OneMore is the number of rows to fetch for ListUpTo: limit+1, so that
// the extra row tells whether there are more (0, all rows, stays 0).
func OneMore(limit int) int {
	if limit <= 0 {
		return 0
	}
	return limit + 1
}

// ExportLimit is the row limit of an export (endclient hours): every row
// unless --limit says otherwise, except on a terminal, which gets
// TerminalLimit rows like any list unless --all is given. An export to
// --output-file, or one that keeps state, is never cut by default.
func (r *Renderer) ExportLimit(l *cmdutil.LimitFlags, keepsState bool) int {
	if !l.Unset() || keepsState || r.Flags.OutputFile != "" || !r.IO.IsStdoutTTY() {
		return l.Rows()
	}
	return TerminalLimit
}

// TerminalLimit is how many rows a list shows on a terminal by default.
const TerminalLimit = 30

// View renders one record.
func View[T any](ctx context.Context, r *Renderer, m *output.Model[T], rec T) error {
	return render(ctx, r, func(w io.Writer, opts output.Options) error { return output.WriteView(w, m, opts, rec) })
}

func render(ctx context.Context, r *Renderer, write func(io.Writer, output.Options) error) error {
	opts, err := r.Options(ctx)
	if err != nil {
		return err
	}
	if r.Flags.OutputFile == "" && !r.Flags.NoPager {
		r.IO.StartPager() // only on a terminal
		defer r.IO.StopPager()
	}
	w, commit, abort, err := r.Flags.Destination(r.IO)
	if err != nil {
		return err
	}
	if err := write(w, opts); err != nil {
		abort()
		return UsageChoice(err)
	}
	if err := ctx.Err(); err != nil {
		abort()
		return err
	}
	return commit()
}

// UsageChoice turns the server's "unknown --org / --client value" answer
// (400 with details.field org or client, listing the choices) into a usage
// error: exit code 2, as for any bad flag value.
func UsageChoice(err error) error {
	var e *api.Error
	if errors.As(err, &e) && e.Code == api.CodeInvalidRequest {
		if f, _ := e.Details["field"].(string); f == "org" || f == "client" {
			return cmdutil.FlagErrorf("--%s: %s", f, e.Message)
		}
	}
	return err
}

// Document renders a whole JSON document (a schedule tree).
func Document(ctx context.Context, r *Renderer, doc any) error {
	return render(ctx, r, func(w io.Writer, opts output.Options) error { return output.WriteDocument(w, doc, opts) })
}
