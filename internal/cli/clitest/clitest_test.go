package clitest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// greet is a command built like every portalctl leaf command, small enough
// to test the harness with: "greet NAME [--loud]" greets NAME ("-" reads it
// from stdin) from the organization's time zone, with a ✓ on a terminal.
type greetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Name   string
	Loud   bool
	Limit  cmdutil.LimitFlags
}

func newCmdGreet(f *factory.Factory, runF func(*greetOptions) error) *cobra.Command {
	opts := &greetOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use: "greet NAME",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.FlagErrorf("greet needs a name")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return greetRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Loud, "loud", false, "shout")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	return cmd
}

func greetRun(ctx context.Context, opts *greetOptions) error {
	if opts.Name == "-" {
		name, err := opts.IO.ReadLine()
		if err != nil {
			return err
		}
		opts.Name = name
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	mark := ""
	if opts.IO.IsStdoutTTY() {
		mark = "✓ "
	}
	_, err = fmt.Fprintf(opts.IO.Out, "%shello %s from %s\n", mark, opts.Name, me.Organization.TimeZone)
	return err
}

func TestParseRow(t *testing.T) {
	tests := []struct {
		cli, wantName, wantUsage string
		wantLoud                 bool
	}{
		{cli: "Ada", wantName: "Ada"},
		{cli: "'Ada Lovelace' --loud", wantName: "Ada Lovelace", wantLoud: true},
		{cli: "", wantUsage: "greet needs a name"},
		{cli: "Ada --nope", wantUsage: "unknown flag: --nope"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := ParseRow(t, newCmdGreet, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantName, got.Name)
				assert.Equal(t, tt.wantLoud, got.Loud)
			}
		})
	}
}

func TestParseFlagsRunsTheChecksOfRunTime(t *testing.T) {
	noLoud := func(o *greetOptions) error {
		if o.Loud {
			return cmdutil.FlagErrorf("--loud is rude")
		}
		return nil
	}
	got, err := ParseFlags(t, newCmdGreet, "Ada --loud", noLoud)
	AssertUsageError(t, err, "--loud is rude")
	require.NotNil(t, got, "runF ran, and its check failed")
	assert.Nil(t, ParseRow(t, newCmdGreet, "Ada --loud", "--loud is rude", noLoud))
	assert.Equal(t, "Ada", ParseRowAnyUsage(t, newCmdGreet, "Ada", false, noLoud).Name)
}

// TestLimitCheckedBeforeRun: --limit is checked as the flags are parsed,
// so a bad one is a usage error and the command never runs.
func TestLimitCheckedBeforeRun(t *testing.T) {
	got := ParseRow(t, newCmdGreet, "Ada -L 5", "")
	assert.Equal(t, 5, got.Limit.Rows())
	assert.Nil(t, ParseRow(t, newCmdGreet, "Ada --all -L 5", "specify only one of --limit and --all"))
	assert.Nil(t, ParseRow(t, newCmdGreet, "Ada -L 0", "invalid --limit 0: must be at least 1 (or use --all)"))
}

func TestRun(t *testing.T) {
	tests := []struct {
		name, argv string
		opts       Opts
		want       string
	}{
		{name: "terminal", argv: "Ada", opts: Opts{TTY: true}, want: "✓ hello Ada from Europe/Berlin\n"},
		{name: "pipe", argv: "Ada", want: "hello Ada from Europe/Berlin\n"},
		{name: "stdin", argv: "-", opts: Opts{Stdin: "Grace\n"}, want: "hello Grace from Europe/Berlin\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry(t)
			MeStub(reg, "Europe/Berlin")
			out, errOut, err := Run(t, newCmdGreet, reg, tt.argv, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
			assert.Empty(t, errOut)
			assert.Equal(t, "Bearer test-token", reg.Requests[0].Header.Get("Authorization"))
		})
	}
}

func TestRunnerAndCancelledContext(t *testing.T) {
	reg := NewRegistry(t)
	MeStub(reg, "UTC")
	out, _, err := Runner(newCmdGreet, 120)(t, true, reg, "Ada")
	require.NoError(t, err)
	assert.Equal(t, "✓ hello Ada from UTC\n", out)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = Run(t, newCmdGreet, &httpmock.Registry{}, "Ada", Opts{Ctx: ctx})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestAssertAPIErrors(t *testing.T) {
	rows := []APIError{
		ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		ErrorRow("rate limited", 429, api.CodeRateLimited, "slow down", cmdutil.ExitRateLimited),
		{Name: "server error page", Resp: httpmock.StatusStringResponse(500, "<html>oops</html>"), WantExit: cmdutil.ExitError},
	}
	AssertAPIErrors(t, rows, func(t *testing.T, reg *httpmock.Registry, row APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/me"), row.Resp)
		return Run(t, newCmdGreet, reg, "Ada", Opts{TTY: true})
	})
}

func TestOutputHelpers(t *testing.T) {
	assert.Equal(t, []string{"a", "b"}, Lines("a\nb\n"))
	assert.Equal(t, [][]string{{"id", "name"}, {"1", "a,b"}}, CSV(t, "id,name\n1,\"a,b\"\n"))
	assert.Equal(t, map[string]int{"id": 1}, DecodeJSON[map[string]int](t, `{"id":1}`))
}

// The assertions must fail when what they check is not so.
func TestAssertionsFail(t *testing.T) {
	usage := cmdutil.FlagErrorf("bad flag")
	tests := map[string]func(t testing.TB){
		"not a usage error":       func(t testing.TB) { AssertUsageError(t, errors.New("bad flag"), "bad flag") },
		"other usage message":     func(t testing.TB) { AssertUsageError(t, usage, "other") },
		"no error":                func(t testing.TB) { AssertFailed(t, "", "", nil, cmdutil.ExitError, "") },
		"other exit code":         func(t testing.TB) { AssertFailed(t, "", "", usage, cmdutil.ExitError, "bad flag") },
		"other message":           func(t testing.TB) { AssertFailed(t, "", "", usage, cmdutil.ExitUsage, "good flag") },
		"two lines":               func(t testing.TB) { AssertFailed(t, "", "", cmdutil.FlagErrorf("a\nb"), cmdutil.ExitUsage, "") },
		"partial output":          func(t testing.TB) { AssertFailed(t, "[", "", usage, cmdutil.ExitUsage, "bad flag") },
		"error printed twice":     func(t testing.TB) { AssertFailed(t, "", "bad flag", usage, cmdutil.ExitUsage, "bad flag") },
		"stub never called":       func(t testing.TB) { MeStub(NewRegistry(t), "UTC") },
		"parses, but should not":  func(t testing.TB) { ParseRow(t, newCmdGreet, "Ada", "greet needs a name") },
		"should parse, but fails": func(t testing.TB) { ParseRow(t, newCmdGreet, "", "") },
		"unclosed quote":          func(t testing.TB) { Split(t, "'Ada") },
	}
	for name, check := range tests {
		t.Run(name, func(t *testing.T) {
			assert.True(t, fails(check), "the check passed")
		})
	}
	assert.False(t, fails(func(t testing.TB) { AssertFailed(t, "", "", usage, cmdutil.ExitUsage, "bad flag") }))
}

// fails runs check against a fake testing.TB, cleanups included, and
// reports whether it failed.
func fails(check func(t testing.TB)) bool {
	ft := &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			for i := len(ft.cleanups) - 1; i >= 0; i-- {
				ft.cleanups[i]()
			}
		}()
		check(ft)
	}()
	<-done
	return ft.failed
}

// fakeT records failures instead of failing the real test; FailNow ends
// the check's goroutine as the testing package does.
type fakeT struct {
	testing.TB
	failed   bool
	cleanups []func()
}

func (f *fakeT) Helper()                           {}
func (f *fakeT) Name() string                      { return "fake" }
func (f *fakeT) Errorf(format string, args ...any) { f.failed = true }
func (f *fakeT) FailNow()                          { f.failed = true; runtime.Goexit() }
func (f *fakeT) Cleanup(fn func())                 { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) TempDir() string                   { return "" }
