package hours

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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

// exportDir is a cron job's directory: the state file and the export.
type exportDir struct {
	t                 *testing.T
	dir, state, csvFn string
}

func newExportDir(t *testing.T) exportDir {
	dir := t.TempDir()
	return exportDir{t: t, dir: dir, state: filepath.Join(dir, "hours.json"), csvFn: filepath.Join(dir, "hours.csv")}
}

func (d exportDir) write(path, content string) {
	require.NoError(d.t, os.WriteFile(path, []byte(content), 0o600))
}

func (d exportDir) read(path string) string {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "<missing>"
	}
	require.NoError(d.t, err)
	return string(b)
}

// files lists the directory, so a left-over temporary file shows up.
func (d exportDir) files() []string {
	entries, err := os.ReadDir(d.dir)
	require.NoError(d.t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func (d exportDir) argv() string {
	return "-o csv --columns id,entry,hours_billed --tz UTC --state " + d.state + " --output-file " + d.csvFn
}

// state is the state file as a run left it.
func (d exportDir) stateFile() State {
	d.t.Helper()
	s, err := ReadState(d.state)
	require.NoError(d.t, err)
	return s
}

// meStub answers GET /v1/me for chloe.
func meStub(reg *httpmock.Registry) {
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{User: api.User{Username: "chloe"},
		Organization: api.Organization{TimeZone: "UTC"}}))
}

// feedResponse is a stream at a billing feed position.
func feedResponse(position string, rows ...any) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := httpmock.NDJSONResponse(rows...)(req)
		if err == nil && position != "" {
			resp.Header.Set("Portal-Feed-Position", position)
		}
		return resp, err
	}
}

func entry(r api.BilledHoursRow, kind string) api.BilledHoursRow {
	r.Entry = kind
	if kind == api.EntryReversal {
		r.HoursBilled = -r.HoursBilled
	}
	return r
}

// A first run exports everything and remembers the server's position and
// what the export is; the next one asks for the changes since, and gets
// them as entries.
func TestHoursStateExportsChangesSince(t *testing.T) {
	d := newExportDir(t)
	reg := clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{}), feedResponse("f00d:7", entry(row(1001, "2026-01-05", 2), "new"), entry(row(1003, "2026-01-06", 3), "new")))
	out, errOut, err := runHours(t, false, reg, d.argv())
	require.NoError(t, err)
	assert.Empty(t, out, "rows go to --output-file")
	assert.Empty(t, errOut)
	assert.Equal(t, "id,entry,hours_billed\n1001,new,2.50\n1003,new,3.50\n", d.read(d.csvFn))
	assert.Equal(t, State{Format: 2, Server: httpmock.TestHost, User: "chloe", Feed: "f00d", Position: 7}, d.stateFile())

	// Next night, into a new file: a correction of 1001 and a late item
	// with a lower id, since position 7.
	next := filepath.Join(d.dir, "hours-2.csv")
	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:7"}}), feedResponse("f00d:9", entry(row(1000, "2026-01-02", 1), "new"),
		entry(row(1001, "2026-01-05", 2), "reversal"), entry(row(1001, "2026-01-05", 1), "correction")))
	_, _, err = runHours(t, false, reg, strings.Replace(d.argv(), d.csvFn, next, 1))
	require.NoError(t, err)
	assert.Equal(t, "id,entry,hours_billed\n1000,new,1.50\n1001,reversal,-2.50\n1001,correction,1.50\n", d.read(next))
	assert.Equal(t, int64(9), d.stateFile().Position)
	assert.Equal(t, []string{"hours-2.csv", "hours.csv", "hours.json", "hours.json.lock"}, d.files(), "no temporary files left")
}

// Finding 2: the README's cron line run twice in a day replaced the first
// run's rows with a header-only file. A non-empty --output-file is never
// replaced without --clobber, and a run without rows writes no file.
func TestHoursStateNeverReplacesEarlierRows(t *testing.T) {
	d := newExportDir(t)
	const first = "id,entry,hours_billed\n1001,new,2.50\n"
	d.write(d.csvFn, first)
	d.write(d.state, `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":7}`)
	reg := clitest.NewRegistry(t)
	meStub(reg)
	_, _, err := runHours(t, false, reg, d.argv())
	clitest.AssertUsageError(t, err, "--output-file "+d.csvFn+" is not empty")
	assert.Contains(t, err.Error(), "--append")
	assert.Contains(t, err.Error(), "--clobber")
	assert.Equal(t, first, d.read(d.csvFn))

	// Nothing new: said on stderr, no file, the position still moves.
	empty := filepath.Join(d.dir, "hours-empty.csv")
	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:7"}}), feedResponse("f00d:8"))
	_, errOut, err := runHours(t, false, reg, strings.Replace(d.argv(), d.csvFn, empty, 1))
	require.NoError(t, err)
	assert.Equal(t, "No changes to billed hours since the last run; nothing written.\n", errOut)
	assert.Equal(t, "<missing>", d.read(empty))
	assert.Equal(t, int64(8), d.stateFile().Position)

	// --append adds the rows after the header; --clobber replaces.
	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:8"}}), feedResponse("f00d:9", entry(row(1002, "2026-01-07", 1), "new")))
	_, _, err = runHours(t, false, reg, d.argv()+" --append")
	require.NoError(t, err)
	assert.Equal(t, first+"1002,new,1.50\n", d.read(d.csvFn))
	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:9"}}), feedResponse("f00d:10", entry(row(1004, "2026-01-07", 4), "new")))
	_, _, err = runHours(t, false, reg, d.argv()+" --clobber")
	require.NoError(t, err)
	assert.Equal(t, "id,entry,hours_billed\n1004,new,4.50\n", d.read(d.csvFn))
}

// --append refuses a file of other columns, and formats that cannot grow.
func TestHoursStateAppendChecksTheFile(t *testing.T) {
	d := newExportDir(t)
	d.write(d.csvFn, "id,hours_billed\n1,2.00\n")
	for argv, want := range map[string]string{
		d.argv() + " --append":                          "does not start with this export's header (id,entry,hours_billed)",
		d.argv() + " --append -o json":                  "--append needs -o csv, tsv or ndjson",
		d.argv() + " --append --clobber":                "choose one of --append and --clobber",
		"--state " + d.state + " --append -o csv":       "--append and --clobber need --output-file",
		"--output-file " + d.csvFn + " --append -o csv": "--append, --clobber and --write-empty go with --state",
	} {
		reg := &httpmock.Registry{}
		meStub(reg)
		_, _, err := runHours(t, false, reg, argv)
		clitest.AssertUsageError(t, err, want)
		assert.Equal(t, "id,hours_billed\n1,2.00\n", d.read(d.csvFn))
	}
}

// Finding 11: a filtered run moved the one state all runs shared. The
// state records its filters (and server, user); another set refuses.
func TestHoursStateRefusesOtherFilters(t *testing.T) {
	d := newExportDir(t)
	const saved = `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":7,"filters":{"client":"Wingtip Toys"}}`
	d.write(d.state, saved)
	for argv, want := range map[string]string{
		d.argv():                                 "--client Wingtip Toys (this run: none)",
		d.argv() + ` --client "Tailspin Dental"`: "--client Wingtip Toys (this run: Tailspin Dental)",
		d.argv() + ` --client "wingtip toys" --from 2026-01-01`: "--from none (this run: 2026-01-01)",
		d.argv() + ` --client "Wingtip Toys" --jq .id`:          "--jq none (this run: .id)",
		d.argv() + ` --client "Wingtip Toys" --kind ticket`:     "--kind none (this run: ticket)",
	} {
		reg := clitest.NewRegistry(t)
		meStub(reg)
		_, _, err := runHours(t, false, reg, argv)
		clitest.AssertUsageError(t, err, want)
		assert.Contains(t, err.Error(), "use a separate state file")
		assert.Equal(t, saved, d.read(d.state))
	}
	d.write(d.state, strings.Replace(saved, "chloe", "ava", 1))
	reg := clitest.NewRegistry(t)
	meStub(reg)
	_, _, err := runHours(t, false, reg, d.argv()+` --client "Wingtip Toys"`)
	clitest.AssertUsageError(t, err, "user ava (this run: chloe)")
}

// Finding 10: two overlapping runs on one state both exported every row.
// A second run waits for the first, then fails without exporting.
func TestHoursStateOneRunAtATime(t *testing.T) {
	d := newExportDir(t)
	unlock, err := statefile.Lock(context.Background(), d.state, time.Second)
	require.NoError(t, err)
	reg := clitest.NewRegistry(t) // no request at all
	start := time.Now()
	_, _, err = runHours(t, false, reg, d.argv()+" --lock-timeout 300ms")
	require.Error(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond)
	assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err))
	assert.Contains(t, err.Error(), "another run is using --state "+d.state)
	assert.Contains(t, cmdutil.Hint(err), "--lock-timeout")
	assert.Equal(t, "<missing>", d.read(d.csvFn))
	unlock()
}

// A state of the old format (the highest id) cannot say which rows were
// exported: refused with what to do.
func TestHoursStateOldFormat(t *testing.T) {
	d := newExportDir(t)
	d.write(d.state, `{"last_billing_item_id":41}`)
	reg := clitest.NewRegistry(t)
	_, _, err := runHours(t, false, reg, d.argv())
	clitest.AssertUsageError(t, err, "written by an older portalctl")
	assert.Contains(t, err.Error(), "(41)")
	assert.Equal(t, `{"last_billing_item_id":41}`, d.read(d.state))
}

// The server refuses a position of another database (replaced, restored):
// a usage error naming the state file, nothing written.
func TestHoursStateOtherDatabase(t *testing.T) {
	d := newExportDir(t)
	const saved = `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":7}`
	d.write(d.state, saved)
	reg := clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:7"}}), httpmock.StatusJSONResponse(409, api.ErrorBody{Error: &api.Error{
		Code: api.CodeConflict, Message: "since f00d:7 belongs to another portal database", Details: map[string]any{"field": "since"}}}))
	_, _, err := runHours(t, false, reg, d.argv())
	clitest.AssertUsageError(t, err, "--state "+d.state+": since f00d:7 belongs to another portal database")
	assert.Equal(t, saved, d.read(d.state))
	assert.Equal(t, "<missing>", d.read(d.csvFn))

	// A server without a change feed (no position) cannot keep a state.
	d = newExportDir(t)
	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{}), feedResponse("", entry(row(1, "2026-01-01", 1), "new")))
	_, _, err = runHours(t, false, reg, d.argv())
	clitest.AssertUsageError(t, err, "the server keeps no change feed of billed hours")
	assert.Equal(t, "<missing>", d.read(d.csvFn))
	assert.Equal(t, "<missing>", d.read(d.state))
}

// A run that fails changes nothing: the state file and the previous export
// stay as they were, so the next run exports the same rows again.
func TestHoursStateFailedRunChangesNothing(t *testing.T) {
	const oldState = `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":7}`
	const oldExport = "id,entry,hours_billed\n1000,new,1.00\n"
	errorLine := map[string]any{"error": map[string]any{"code": api.CodeUnavailable, "message": "the database connection was lost"}}
	tests := []struct {
		name     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "stream ends with an error line", resp: feedResponse("f00d:9", entry(row(1001, "2026-01-05", 2), "new"), errorLine),
			wantExit: cmdutil.ExitError, wantErr: "the database connection was lost"},
		{name: "stream cut mid-row", wantExit: cmdutil.ExitError, wantErr: "the server's answer was cut off before the end",
			resp: func(req *http.Request) (*http.Response, error) {
				resp, err := feedResponse("f00d:9")(req)
				if err == nil {
					resp.Body = cutBody(`{"id":1001,"entry":"new","client_id":300}` + "\n" + `{"id":1002,"cli`)
					resp.ContentLength = -1
				}
				return resp, err
			}},
		{name: "rejected before the first row", resp: httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			wantExit: cmdutil.ExitForbidden, wantErr: "your organization is not the billing organization on any contract"},
	}
	for _, tt := range tests {
		for _, mode := range []string{"--clobber", "--append"} {
			t.Run(tt.name+" "+mode, func(t *testing.T) {
				d := newExportDir(t)
				d.write(d.state, oldState)
				d.write(d.csvFn, oldExport)
				reg := clitest.NewRegistry(t)
				meStub(reg)
				reg.Register(streamed(url.Values{"since": {"f00d:7"}}), tt.resp)
				out, errOut, err := runHours(t, false, reg, d.argv()+" "+mode)
				require.Error(t, err)
				assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), "\n")
				assert.Empty(t, out)
				assert.Empty(t, errOut)
				assert.Equal(t, int64(7), d.stateFile().Position, "state untouched")
				assert.Nil(t, d.stateFile().Pending)
				assert.Equal(t, oldExport, d.read(d.csvFn), "previous export untouched")
				assert.Equal(t, []string{"hours.csv", "hours.json", "hours.json.lock"}, d.files(), "no temporary files left behind")
			})
		}
	}
}

// kill -9 between the steps of a commit: the next run finishes a replace
// (the rows reach the file, the position moves) or undoes an append (the
// file is cut back, the position stays: the rows come again), then runs.
func TestHoursStateFinishesAKilledCommit(t *testing.T) {
	d := newExportDir(t)
	temp := filepath.Join(d.dir, ".hours.csv.pending-1")
	d.write(temp, "id,entry,hours_billed\n1001,new,2.50\n")
	d.write(d.state, `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":7,
		"pending":{"mode":"replace","target":"`+d.csvFn+`","temp":"`+temp+`","position":9}}`)
	stale := filepath.Join(d.dir, statefile.PendingPrefix(filepath.Join(d.dir, "hours-2.csv"), d.state)+"2") // a run killed while streaming
	d.write(stale, "id,entry\n")
	d.write(filepath.Join(d.dir, ".hours.json.tmp-3"), "{") // a run killed while writing its state
	next := filepath.Join(d.dir, "hours-2.csv")
	reg := clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:9"}}), feedResponse("f00d:10", entry(row(1002, "2026-01-05", 1), "new")))
	_, _, err := runHours(t, false, reg, strings.Replace(d.argv(), d.csvFn, next, 1))
	require.NoError(t, err)
	assert.Equal(t, "id,entry,hours_billed\n1001,new,2.50\n", d.read(d.csvFn), "the killed run's rows")
	assert.Equal(t, "id,entry,hours_billed\n1002,new,1.50\n", d.read(next))
	assert.Equal(t, []string{"hours-2.csv", "hours.csv", "hours.json", "hours.json.lock"}, d.files())

	const ledger = "id,entry,hours_billed\n1001,new,2.50\n"
	d.write(d.csvFn, ledger+"1002,new,1.50\n1003,ne") // appended, then killed
	d.write(d.state, `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":10,
		"pending":{"mode":"append","target":"`+d.csvFn+`","size":`+strconv.Itoa(len(ledger))+`,"existed":true}}`)
	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{"since": {"f00d:10"}}), feedResponse("f00d:11", entry(row(1002, "2026-01-05", 1), "new"),
		entry(row(1003, "2026-01-05", 1), "new")))
	_, _, err = runHours(t, false, reg, d.argv()+" --append")
	require.NoError(t, err)
	assert.Equal(t, ledger+"1002,new,1.50\n1003,new,1.50\n", d.read(d.csvFn))
	assert.Equal(t, State{Format: 2, Server: httpmock.TestHost, User: "chloe", Feed: "f00d", Position: 11}, d.stateFile())
}

func TestHoursStateOutputFileFailureKeepsState(t *testing.T) {
	d := newExportDir(t)
	require.NoError(t, os.Mkdir(d.csvFn, 0o700)) // --output-file names a directory
	reg := clitest.NewRegistry(t)
	meStub(reg)
	_, _, err := runHours(t, false, reg, d.argv())
	clitest.AssertUsageError(t, err, "is not a regular file")
	assert.Equal(t, "<missing>", d.read(d.state))
}

// A state file that is not ours is a usage error found before any request.
func TestHoursStateUnreadable(t *testing.T) {
	for _, content := range []string{"last=41\n", `{"format":2,"position":-5}`, `{"format":3}`, `{"format":"x"}`} {
		t.Run(content, func(t *testing.T) {
			d := newExportDir(t)
			d.write(d.state, content)
			reg := clitest.NewRegistry(t)
			out, _, err := runHours(t, false, reg, d.argv())
			clitest.AssertUsageError(t, err, "is not a portalctl state file")
			assert.Contains(t, err.Error(), "move it away to start a full export")
			assert.NotContains(t, err.Error(), "<nil>")
			assert.Empty(t, reg.Requests)
			assert.Empty(t, out)
			assert.Equal(t, content, d.read(d.state))
			assert.Equal(t, "<missing>", d.read(d.csvFn))
		})
	}
}

// A state file that cannot be written must fail the run before the export
// is committed: otherwise the rows are exported but not remembered, and the
// next run exports them again.
func TestHoursStateDirectoryMissing(t *testing.T) {
	d := newExportDir(t)
	state := filepath.Join(d.dir, "no-such-dir", "hours.json")
	reg := clitest.NewRegistry(t)
	_, _, err := runHours(t, false, reg, "-o csv --tz UTC --state "+state+" --output-file "+d.csvFn)
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
	assert.Equal(t, "--state "+state+" cannot be written: no such file or directory", err.Error())
	assert.Empty(t, reg.Requests)
	assert.Equal(t, "<missing>", d.read(d.csvFn), "no export without a state to record it")
}

func cutBody(s string) *cutReader { return &cutReader{s: s} }

// cutReader is a response body whose connection drops after s.
type cutReader struct{ s string }

func (c *cutReader) Read(p []byte) (int, error) {
	if c.s == "" {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, c.s)
	c.s = c.s[n:]
	return n, nil
}
func (c *cutReader) Close() error { return nil }

// A --limit'ed run would move the position past changes it never wrote.
func TestHoursStateRefusesLimit(t *testing.T) {
	d := newExportDir(t)
	reg := clitest.NewRegistry(t)
	_, _, err := runHours(t, false, reg, d.argv()+" --limit 2")
	clitest.AssertUsageError(t, err, "--state exports every change: leave out --limit")
	assert.Empty(t, reg.Requests)
	assert.Equal(t, []string(nil), d.files())
}

// Ctrl-C midway: exit 130, and the state and the previous export stay.
func TestHoursStateInterruptedRunChangesNothing(t *testing.T) {
	d := newExportDir(t)
	const saved = `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":7}`
	d.write(d.state, saved)
	d.write(d.csvFn, "old export\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := clitest.NewRegistry(t)
	meStub(reg)
	rows := feedResponse("f00d:8", entry(row(1001, "2026-01-05", 2), "new"), entry(row(1002, "2026-01-06", 2), "new"))
	reg.Register(streamed(url.Values{"since": {"f00d:7"}}), func(req *http.Request) (*http.Response, error) {
		cancel() // the user presses Ctrl-C while the rows arrive
		return rows(req)
	})
	_, _, err := runHoursContext(ctx, t, false, reg, d.argv()+" --clobber")
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitInterrupted, cmdutil.ExitCode(err), "err: %v", err)
	assert.Equal(t, saved, d.read(d.state))
	assert.Equal(t, "old export\n", d.read(d.csvFn))
	assert.Equal(t, []string{"hours.csv", "hours.json", "hours.json.lock"}, d.files())
}
