package shared

import (
	"context"
	"io"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
)

// FormatICS is -o ics: the portal's iCalendar feed, written as the server
// sends it.
const FormatICS = "ics"

// ICSFlags checks the output flags of an -o ics run: the feed is one
// document, so the row flags do not apply.
func ICSFlags(f cmdutil.OutputFlags) error {
	switch {
	case len(f.Columns) > 0:
		return cmdutil.FlagErrorf("--columns does not apply to -o ics (the feed is one iCalendar document)")
	case f.JQ != "":
		return cmdutil.FlagErrorf("--jq does not apply to -o ics (the feed is iCalendar, not JSON)")
	case f.NoHeaders:
		return cmdutil.FlagErrorf("--no-headers does not apply to -o ics")
	}
	return nil
}

// WriteICS writes the user's iCalendar feed (one project's with project),
// as the server sends it, to stdout or, atomically, to --output-file
// (removed on error or interrupt).
func WriteICS(ctx context.Context, r *Renderer, project string) error {
	c, err := r.Client()
	if err != nil {
		return err
	}
	body, err := c.CalendarICS(ctx, project)
	if err != nil {
		return err
	}
	defer body.Close()
	w, commit, abort, err := r.Flags.Destination(r.IO)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, body); err != nil {
		abort()
		return err
	}
	if err := ctx.Err(); err != nil {
		abort()
		return err
	}
	return commit()
}
