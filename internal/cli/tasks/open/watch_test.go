package open

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

// TestExitStatus: 8 with open tasks (the list still printed), 0 without,
// and an error keeps its own code.
func TestExitStatus(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse(tasks, ""))
	out, errOut, err := runOpen(t, false, reg, "--exit-status --tz UTC")
	assert.Equal(t, cmdutil.ExitOpenTasks, cmdutil.ExitCode(err))
	assert.ErrorIs(t, err, cmdutil.ErrSilent, "nothing printed on stderr")
	assert.Contains(t, out, "T20260105.0001")
	assert.Empty(t, errOut)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse([]api.Task{}, ""))
	_, _, err = runOpen(t, false, reg, "--exit-status --tz UTC")
	assert.NoError(t, err)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ErrorResponse(401, api.CodeUnauthenticated, "log in again"))
	out, errOut, err = runOpen(t, false, reg, "--exit-status --tz UTC")
	clitest.AssertFailed(t, out, errOut, err, cmdutil.ExitNotAuthed, "log in again")
}

func TestWatchFlags(t *testing.T) {
	for cli, want := range map[string]string{
		"--interval 1m":               "--interval goes with --watch",
		"--watch --interval 2s":       "--interval 2s is too short: at least 10s",
		"--watch --exit-status":       "use one of them",
		"--watch --output-file x.tsv": "redirect stdout",
		"--watch --limit 5":           "leave out --limit",
		"--watch --interval soon":     "invalid argument",
	} {
		_, err := clitest.ParseFlags(t, NewCmdOpen, cli)
		clitest.AssertUsageError(t, err, want)
	}
	o, err := clitest.ParseFlags(t, NewCmdOpen, "--watch")
	require.NoError(t, err)
	assert.Equal(t, 5*time.Minute, o.Interval)
}

// watchCmd runs watchRun with a clock that records each wait and stops
// the watch (as Ctrl-C does) at the polls-th wait.
func watchCmd(ctx context.Context, cancel context.CancelFunc, waits *[]time.Duration, polls int) clitest.NewCmdFunc[Options] {
	return func(f *factory.Factory, _ func(*Options) error) *cobra.Command {
		return NewCmdOpen(f, func(o *Options) error {
			o.Sleep = func(ctx context.Context, d time.Duration) error {
				if *waits = append(*waits, d); len(*waits) == polls {
					cancel()
				}
				return ctx.Err()
			}
			return watchRun(ctx, o)
		})
	}
}

func task(id int64, number string) api.Task {
	return api.Task{ID: id, Number: number, Title: "t" + number, Status: "waiting_customer", ProjectNumber: "P20260105.0001"}
}

// TestWatchPrintsTasksAsTheyOpen: the open tasks, then only the new ones
// (a task closed and open again is new again); a busy portal's
// Retry-After is waited out, an unavailable one is tried again; Ctrl-C
// ends it with 130.
func TestWatchPrintsTasksAsTheyOpen(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago") // once for the whole watch
	poll := func(resp httpmock.Responder) { reg.Register(httpmock.REST("GET", "/v1/tasks/open"), resp) }
	poll(httpmock.ListResponse([]api.Task{task(1, "T1"), task(2, "T2")}, ""))
	poll(httpmock.WithHeader(httpmock.ErrorResponse(http.StatusTooManyRequests, api.CodeRateLimited, "too many requests"), "Retry-After", "900"))
	poll(httpmock.ListResponse([]api.Task{task(1, "T1"), task(2, "T2"), task(3, "T3")}, ""))
	poll(httpmock.ErrorResponse(http.StatusServiceUnavailable, api.CodeUnavailable, "the database is not reachable"))
	poll(httpmock.ListResponse([]api.Task{task(3, "T3")}, ""))
	poll(httpmock.ListResponse([]api.Task{task(1, "T1"), task(3, "T3")}, ""))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	out, errOut, err := clitest.Run(t, watchCmd(ctx, cancel, &waits, 6), reg, "--watch --interval 1m -o csv --columns number,title", clitest.Opts{})
	assert.Equal(t, cmdutil.ExitInterrupted, cmdutil.ExitCode(err), "err %v", err)
	assert.Equal(t, "number,title\nT1,tT1\nT2,tT2\nT3,tT3\nT1,tT1\n", out)
	assert.Equal(t, []time.Duration{time.Minute, 900 * time.Second, time.Minute, time.Minute, time.Minute, time.Minute}, waits)
	assert.Contains(t, errOut, "warning: too many requests; trying again in 15m0s")
	assert.Contains(t, errOut, "warning: the database is not reachable; trying again in 1m0s")
}

// TestWatchEndsOnARevokedToken: a failure that waiting cannot cure ends
// the watch with its own exit code.
func TestWatchEndsOnARevokedToken(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse([]api.Task{task(1, "T1")}, ""))
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ErrorResponse(401, api.CodeUnauthenticated, "your token is invalid"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	out, _, err := clitest.Run(t, watchCmd(ctx, cancel, &waits, 99), reg, "--watch -o tsv --columns number --tz UTC", clitest.Opts{})
	assert.Equal(t, cmdutil.ExitNotAuthed, cmdutil.ExitCode(err), "err %v", err)
	assert.Equal(t, "number\nT1\n", out)
}
