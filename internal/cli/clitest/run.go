package clitest

import (
	"context"
	"testing"

	"github.com/portalctl/portalctl/internal/cli/browser"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/client"
)

// Opts are the circumstances a command runs in. The zero value is a
// pipeline: no terminal anywhere, the default width, empty stdin.
type Opts struct {
	TTY       bool   // stdout is a terminal (human output, confirmations)
	StderrTTY bool   // stderr is a terminal (progress and "✓ Saved" lines)
	Width     int    // terminal width; 0 keeps the iostreams default
	Stdin     string // what the command reads from standard input
	// Ctx is the command's context (cancel it to play Ctrl-C); nil is
	// context.Background().
	Ctx context.Context
	// Client replaces reg.APIClient(), e.g. for a client that retries.
	Client func() (*client.Client, error)
	// Browser receives what the command opens in a browser (--web).
	Browser browser.Browser
	// Pager is the pager command line on a terminal ("": none).
	Pager string
}

// Run runs the command built by newCmd with the real run function, the API
// client talking to reg, and the arguments split from argv, as the root
// command would run it. It returns what the command wrote to stdout and
// stderr, and its error (the root command would print that once).
func Run[O any](t testing.TB, newCmd NewCmdFunc[O], reg *httpmock.Registry, argv string, o Opts) (stdout, stderr string, err error) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(o.Stdin)
	ios.SetStdoutTTY(o.TTY)
	ios.SetStderrTTY(o.StderrTTY)
	ios.SetPager(o.Pager)
	if o.Width > 0 {
		ios.SetTerminalWidth(o.Width)
	}
	f := &factory.Factory{IOStreams: ios, Client: o.Client, Browser: o.Browser}
	if f.Client == nil {
		f.Client = reg.APIClient()
	}
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	_, err = execute(ctx, newCmd(f, nil), Split(t, argv), out, errOut)
	return out.String(), errOut.String(), err
}

// RunFunc runs a command with stdout a terminal (tty) or a pipe; see Run.
type RunFunc func(t testing.TB, tty bool, reg *httpmock.Registry, argv string) (stdout, stderr string, err error)

// Runner is Run for the usual command test: only whether stdout is a
// terminal changes from test to test, on a terminal width wide enough that
// tables are not truncated.
func Runner[O any](newCmd NewCmdFunc[O], width int) RunFunc {
	return func(t testing.TB, tty bool, reg *httpmock.Registry, argv string) (string, string, error) {
		t.Helper()
		return Run(t, newCmd, reg, argv, Opts{TTY: tty, Width: width})
	}
}
