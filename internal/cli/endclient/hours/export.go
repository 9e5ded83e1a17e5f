package hours

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/internal/cli/statefile"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

// stateRun is a --state run: under the state's lock, finish what a killed
// run left, check that the state belongs to this export, stream the
// changes since its position from one snapshot, and commit the rows with
// the position the server named for them.
func stateRun(ctx context.Context, opts *Options) error {
	path, target := opts.State, opts.Render.Flags.OutputFile
	switch {
	case target == "" && (opts.Append || opts.Clobber):
		return cmdutil.FlagErrorf("--append and --clobber need --output-file")
	case opts.Append && opts.Clobber:
		return cmdutil.FlagErrorf("choose one of --append and --clobber")
	}
	unlock, err := statefile.Begin(ctx, path, opts.LockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := ReadState(path)
	if err != nil {
		return err
	}
	if err := finishPending(&st, path); err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	server, user := c.BaseURL(), me.User.Username
	filters := Filters{Client: strings.TrimSpace(opts.Query.Client), Kind: opts.Query.Kind, From: string(opts.Query.From), To: string(opts.Query.To),
		JQ: opts.Render.Flags.JQ}
	if !st.started() {
		st.Server, st.User, st.Filters = server, user, filters
	} else if diff := st.mismatch(server, user, filters); diff != "" {
		return cmdutil.FlagErrorf("--state %s belongs to another export: %s; use a separate state file for each server, "+
			"user and set of filters", path, diff)
	}
	opts.Render.Me = &me
	ropts, err := opts.Render.Options(ctx)
	if err != nil {
		return err
	}
	dest, err := openDestination(&st, path, opts, &ropts)
	if err != nil {
		return err
	}
	q := opts.Query
	q.Since = st.since()
	var position string
	rows := c.BilledHoursFeed(ctx, q, func(p string) { position = p })
	out := &holdWriter{w: dest}
	n := 0
	counted := func(yield func(api.BilledHoursRow, error) bool) {
		for r, err := range rows {
			if err == nil && position == "" {
				err = errNoFeed
			}
			if err == nil {
				n++
				out.release()
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
	err = output.WriteList(out, output.BilledHours, ropts, iter.Seq2[api.BilledHoursRow, error](counted))
	if err == nil {
		err = ctx.Err()
	}
	var pos int64
	if err == nil {
		pos, err = st.advance(position, path)
	}
	if err != nil {
		dest.abort(&st, path)
		return stateError(path, err)
	}
	if n == 0 && opts.WriteEmpty {
		out.release()
	}
	if out.err != nil {
		dest.abort(&st, path)
		return out.err
	}
	if err := dest.commit(&st, path, pos, n > 0 || opts.WriteEmpty); err != nil {
		return err
	}
	if n == 0 {
		what := "nothing written"
		if opts.WriteEmpty {
			what = "wrote the output without rows (--write-empty)"
		}
		fmt.Fprintf(opts.Render.IO.ErrOut, "No changes to billed hours since the last run; %s.\n", what)
	}
	return nil
}

// errNoFeed: the server names no position, so it keeps no change feed.
var errNoFeed = cmdutil.FlagErrorf("the server keeps no change feed of billed hours (a portald older than this portalctl): " +
	"--state needs one; upgrade portald, or export without --state")

// advance checks the position a run's answer named (FEED:NUMBER) and
// takes its feed; it returns the number.
func (s *State) advance(position, path string) (int64, error) {
	if position == "" {
		return 0, errNoFeed
	}
	feed, num, ok := strings.Cut(position, ":")
	pos, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || feed == "" {
		return 0, fmt.Errorf("the server named an invalid billing feed position %q", position)
	}
	if s.started() && feed != s.Feed {
		return 0, cmdutil.FlagErrorf("--state %s was made against another portal database (billing feed %s; the server's "+
			"is %s); start a new state file", path, s.Feed, feed)
	}
	s.Feed = feed
	return pos, nil
}

// stateError turns the server's refusal of the state's position into a
// usage error naming the state file.
func stateError(path string, err error) error {
	var e *api.Error
	if errors.As(err, &e) && e.Code == api.CodeConflict && e.Details["field"] == "since" {
		return cmdutil.FlagErrorf("--state %s: %s", path, e.Message)
	}
	return shared.UsageChoice(err)
}

// openDestination opens where the rows go. With --state, a non-empty
// --output-file is never replaced without --clobber: the run writes only
// what changed, so the earlier rows would be gone.
func openDestination(s *State, path string, opts *Options, ropts *output.Options) (destination, error) {
	target := opts.Render.Flags.OutputFile
	if target == "" {
		return stdoutDest{opts.Render.IO.Out}, nil
	}
	info, err := os.Stat(target)
	switch {
	case err == nil && !info.Mode().IsRegular():
		return nil, cmdutil.FlagErrorf("--output-file %s is not a regular file", target)
	case err == nil && info.Size() > 0 && !opts.Append && !opts.Clobber:
		return nil, cmdutil.FlagErrorf("--output-file %s is not empty: with --state, a run writes only what changed since "+
			"the last one, so replacing it would lose the earlier rows; name a file per run (\"hours-$(date +%%FT%%H%%M%%S).csv\"), "+
			"add --append to add the rows to it, or --clobber to replace it", target)
	}
	// A later run may finish this one's commit from another directory.
	if abs, err := filepath.Abs(target); err == nil {
		target = abs
	}
	if !opts.Append {
		return newReplaceDest(target, path)
	}
	switch ropts.Format {
	case output.FormatCSV, output.FormatTSV, output.FormatNDJSON:
	default:
		return nil, cmdutil.FlagErrorf("--append needs -o csv, tsv or ndjson (a %s document cannot grow)", ropts.Format)
	}
	if err == nil && info.Size() > 0 && ropts.Format != output.FormatNDJSON && !ropts.NoHeaders {
		if err := sameHeader(target, *ropts); err != nil {
			return nil, err
		}
		ropts.NoHeaders = true
	}
	return newAppendDest(s, path, target)
}

// sameHeader checks that target starts with the header this run writes:
// rows of other columns or another format must not join it.
func sameHeader(target string, ropts output.Options) error {
	var want bytes.Buffer
	if err := output.WriteList(&want, output.BilledHours, ropts, func(func(api.BilledHoursRow, error) bool) {}); err != nil {
		return err
	}
	f, err := os.Open(target)
	if err != nil {
		return err
	}
	defer f.Close()
	got := make([]byte, want.Len())
	if _, err := io.ReadFull(f, got); err != nil || !bytes.Equal(got, want.Bytes()) {
		return cmdutil.FlagErrorf("--append: %s does not start with this export's header (%s): it holds other columns "+
			"or another format; write to a new file", target, strings.TrimSpace(want.String()))
	}
	return nil
}

// holdWriter keeps what is written (the header) until the first row, so a
// run without rows writes nothing.
type holdWriter struct {
	w        io.Writer
	held     bytes.Buffer
	released bool
	err      error
}

func (h *holdWriter) Write(p []byte) (int, error) {
	if !h.released {
		return h.held.Write(p)
	}
	if h.err != nil {
		return 0, h.err
	}
	return h.w.Write(p)
}

// release writes what was held and lets the rest through.
func (h *holdWriter) release() {
	if h.released {
		return
	}
	h.released = true
	if h.held.Len() > 0 {
		_, h.err = h.w.Write(h.held.Bytes())
	}
}
