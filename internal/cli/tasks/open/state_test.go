package open

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/statefile"
	"github.com/portalctl/portalctl/pkg/api"
)

// openNow answers GET /v1/tasks/open once with these tasks, after GET /v1/me.
func openNow(reg *httpmock.Registry, ts ...api.Task) {
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{User: api.User{Username: "chloe"},
		Organization: api.Organization{TimeZone: "UTC"}}))
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ListResponse(append([]api.Task{}, ts...), ""))
}

// TestStatePrintsTasksThatBecameOpen: the first run prints every open
// task; later runs only those that became open since (a task closed and
// open again is new again); a run without any says so and prints nothing.
func TestStatePrintsTasksThatBecameOpen(t *testing.T) {
	state := filepath.Join(t.TempDir(), "open.json")
	argv := "--state " + state + " -o csv --columns number,title"
	for _, run := range []struct {
		open    []api.Task
		out     string
		errOut  string
		comment string
	}{
		{[]api.Task{task(1, "T1"), task(2, "T2")}, "number,title\nT1,tT1\nT2,tT2\n", "", "first run: all"},
		{[]api.Task{task(1, "T1"), task(2, "T2"), task(3, "T3")}, "number,title\nT3,tT3\n", "", "T3 opened"},
		{[]api.Task{task(3, "T3")}, "", "No tasks became open since the last run; nothing written.\n", "T1, T2 closed"},
		{[]api.Task{task(1, "T1"), task(3, "T3")}, "number,title\nT1,tT1\n", "", "T1 open again"},
		{[]api.Task{task(1, "T1"), task(3, "T3")}, "", "No tasks became open since the last run; nothing written.\n", "nothing new"},
	} {
		reg := clitest.NewRegistry(t)
		openNow(reg, run.open...)
		out, errOut, err := runOpen(t, false, reg, argv)
		require.NoError(t, err, run.comment)
		assert.Equal(t, run.out, out, run.comment)
		assert.Equal(t, run.errOut, errOut, run.comment)
	}
	b, err := os.ReadFile(state)
	require.NoError(t, err)
	var st State
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, []int64{1, 3}, st.Open)
	info, err := os.Stat(state)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the state names the server and the user")
}

func TestStateFlags(t *testing.T) {
	for cli, want := range map[string]string{
		"--state s.json --watch":        "use one of them",
		"--state s.json --exit-status":  "use one of them",
		"--state s.json --limit 5":      "leave out --limit",
		"--state s.json --clobber":      "--clobber needs --output-file",
		"--clobber --output-file x.csv": "--clobber goes with --state",
		"--lock-timeout 1s":             "--lock-timeout goes with --state",
	} {
		_, err := clitest.ParseFlags(t, NewCmdOpen, cli)
		clitest.AssertUsageError(t, err, want)
	}
}

// TestStateFailedRunChangesNothing: a run whose list fails prints nothing
// and leaves the state, so the next run prints what it would have.
func TestStateFailedRunChangesNothing(t *testing.T) {
	dir := t.TempDir()
	state, csv := filepath.Join(dir, "open.json"), filepath.Join(dir, "open.csv")
	reg := clitest.NewRegistry(t)
	openNow(reg, task(1, "T1"))
	_, _, err := runOpen(t, false, reg, "--state "+state+" -o csv --columns number")
	require.NoError(t, err)
	before, err := os.ReadFile(state)
	require.NoError(t, err)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{User: api.User{Username: "chloe"}}))
	reg.Register(httpmock.REST("GET", "/v1/tasks/open"), httpmock.ErrorResponse(http.StatusServiceUnavailable, api.CodeUnavailable, "the database is not reachable"))
	out, errOut, err := runOpen(t, false, reg, "--state "+state+" -o csv --columns number --output-file "+csv)
	clitest.AssertFailed(t, out, errOut, err, cmdutil.ExitError, "the database is not reachable")
	after, _ := os.ReadFile(state)
	assert.Equal(t, string(before), string(after))
	assert.NoFileExists(t, csv)
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 2, "the state and its lock only: %v", entries)
}

// TestStateRefusesOtherTasks: a state follows one server, user, --project
// and --jq; another command's state is refused too.
func TestStateRefusesOtherTasks(t *testing.T) {
	state := filepath.Join(t.TempDir(), "open.json")
	reg := clitest.NewRegistry(t)
	openNow(reg, task(1, "T1"))
	_, _, err := runOpen(t, false, reg, "--state "+state+" -o csv")
	require.NoError(t, err)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{User: api.User{Username: "chloe"}}))
	_, _, err = runOpen(t, false, reg, "--state "+state+" -o csv --project P20260105.0001")
	clitest.AssertUsageError(t, err, "follows other tasks: --project none (this run: P20260105.0001)")

	hours := filepath.Join(t.TempDir(), "hours.json")
	require.NoError(t, os.WriteFile(hours, []byte(`{"format":2,"feed":"f00d","position":7,"filters":{}}`), 0o600))
	_, _, err = runOpen(t, false, clitest.NewRegistry(t), "--state "+hours)
	clitest.AssertUsageError(t, err, "is not a tasks open state file")
}

// TestStateOneRunAtATime: a second run on a locked state waits, then fails
// without asking the portal or printing anything.
func TestStateOneRunAtATime(t *testing.T) {
	state := filepath.Join(t.TempDir(), "open.json")
	unlock, err := statefile.Lock(context.Background(), state, time.Second)
	require.NoError(t, err)
	defer unlock()
	start := time.Now()
	out, errOut, err := runOpen(t, false, clitest.NewRegistry(t), "--state "+state+" --lock-timeout 300ms")
	require.Error(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond)
	assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err))
	assert.Contains(t, err.Error(), "another run is using --state "+state)
	assert.Empty(t, out+errOut)
}

// TestStateOutputFile: each run's new tasks go to a file of their own,
// committed with the state; a non-empty file is replaced only with
// --clobber; a run without new tasks writes no file.
func TestStateOutputFile(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "open.json")
	file := func(n int) string { return filepath.Join(dir, fmt.Sprintf("open-%d.csv", n)) }
	argv := func(n int) string { return "--state " + state + " -o csv --columns number --output-file " + file(n) }
	reg := clitest.NewRegistry(t)
	openNow(reg, task(1, "T1"))
	_, _, err := runOpen(t, false, reg, argv(1))
	require.NoError(t, err)

	_, _, err = runOpen(t, false, clitest.NewRegistry(t), argv(1))
	clitest.AssertUsageError(t, err, "--output-file "+file(1)+" is not empty")

	reg = clitest.NewRegistry(t)
	openNow(reg, task(1, "T1"))
	_, errOut, err := runOpen(t, false, reg, argv(2))
	require.NoError(t, err)
	assert.Contains(t, errOut, "No tasks became open")
	assert.NoFileExists(t, file(2))

	reg = clitest.NewRegistry(t)
	openNow(reg, task(1, "T1"), task(2, "T2"))
	_, _, err = runOpen(t, false, reg, argv(1)+" --clobber")
	require.NoError(t, err)
	got, _ := os.ReadFile(file(1))
	assert.Equal(t, "number\nT2\n", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 3, "no temporary file left: %v", entries)
}

// TestStateFinishesAKilledCommit: a run killed after recording its commit
// and before the rename is finished by the next run: the file appears,
// the state moves on, and the next run prints only what is new since.
func TestStateFinishesAKilledCommit(t *testing.T) {
	dir := t.TempDir()
	state, first, second := filepath.Join(dir, "open.json"), filepath.Join(dir, "open-1.csv"), filepath.Join(dir, "open-2.csv")
	temp := filepath.Join(dir, statefile.PendingPrefix(first, state)+"1")
	require.NoError(t, os.WriteFile(temp, []byte("number\nT1\n"), 0o644))
	st := State{Kind: stateKind, Format: stateFormat, Server: "https://portal.test", User: "chloe", Started: true,
		Open: []int64{}, Pending: &Pending{Target: first, Temp: temp, Open: []int64{1}}}
	require.NoError(t, statefile.Write(state, st))
	reg := clitest.NewRegistry(t)
	openNow(reg, task(1, "T1"), task(2, "T2"))
	_, _, err := runOpen(t, false, reg, "--state "+state+" -o csv --columns number --output-file "+second)
	require.NoError(t, err)
	got1, _ := os.ReadFile(first)
	got2, _ := os.ReadFile(second)
	assert.Equal(t, "number\nT1\n", string(got1), "the killed run's tasks")
	assert.Equal(t, "number\nT2\n", string(got2), "T1 not again")
	assert.NoFileExists(t, temp)
}

// TestStateExactlyOnceUnderConcurrentRuns is the promise under load: six
// cron jobs run at once on one state, eight times each, while tasks keep
// becoming open (one more at every list the portal answers, some of them
// mid-run). Every task is written exactly once over all the runs' files.
func TestStateExactlyOnceUnderConcurrentRuns(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "open.json")
	var mu sync.Mutex
	var open []api.Task
	reg := &httpmock.Registry{}
	reg.RegisterAlways(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{User: api.User{Username: "chloe"}}))
	reg.RegisterAlways(httpmock.REST("GET", "/v1/tasks/open"), func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		n := int64(len(open) + 1)
		open = append(open, task(n, fmt.Sprintf("T%d", n)))
		now := slices.Clone(open)
		mu.Unlock()
		return httpmock.ListResponse(now, "")(req)
	})
	const jobs, runs = 6, 8
	var wg sync.WaitGroup
	for j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range runs {
				csv := filepath.Join(dir, fmt.Sprintf("open-%d-%d.csv", j, r))
				_, _, err := runOpen(t, false, reg, "--state "+state+" -o csv --columns number --output-file "+csv+" --lock-timeout 1m")
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	files, err := filepath.Glob(filepath.Join(dir, "open-*.csv"))
	require.NoError(t, err)
	seen := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
			seen[line]++
		}
	}
	assert.Len(t, files, jobs*runs, "every run had a new task")
	assert.Len(t, seen, jobs*runs, "tasks opened: one per list")
	for number, n := range seen {
		assert.Equal(t, 1, n, "%s written %d times", number, n)
	}
}
