package hours

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
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
	return "-o csv --columns id,hours_billed --tz UTC --state " + d.state + " --output-file " + d.csvFn
}

func TestHoursStateExportsEachRowOnce(t *testing.T) {
	d := newExportDir(t)

	// First run: no state file yet, everything is exported.
	reg := &httpmock.Registry{}
	reg.Register(streamed(url.Values{}), httpmock.NDJSONResponse(row(1001, "2026-01-05", 2), row(1003, "2026-01-06", 3), row(1002, "2026-01-07", 1)))
	out, errOut, err := runHours(t, false, reg, d.argv())
	require.NoError(t, err)
	reg.Verify(t)
	assert.Empty(t, out, "rows go to --output-file")
	assert.Empty(t, errOut)
	assert.Equal(t, "id,hours_billed\n1001,2.50\n1003,3.50\n1002,1.50\n", d.read(d.csvFn))
	assert.Equal(t, `{"last_billing_item_id":1003}`+"\n", d.read(d.state), "the highest id, not the last row's")

	// Next night: only items after 1003 are asked for.
	reg = &httpmock.Registry{}
	reg.Register(streamed(url.Values{"after": {"1003"}, "from": {"2026-01-01"}}), httpmock.NDJSONResponse(row(1004, "2026-01-08", 4)))
	_, _, err = runHours(t, false, reg, d.argv()+" --from 2026-01-01")
	require.NoError(t, err)
	reg.Verify(t)
	assert.Equal(t, "id,hours_billed\n1004,4.50\n", d.read(d.csvFn))
	assert.Equal(t, `{"last_billing_item_id":1004}`+"\n", d.read(d.state))

	// Nothing new: an export with only the header; the state stays.
	reg = &httpmock.Registry{}
	reg.Register(streamed(url.Values{"after": {"1004"}}), httpmock.NDJSONResponse())
	_, _, err = runHours(t, false, reg, d.argv())
	require.NoError(t, err)
	reg.Verify(t)
	assert.Equal(t, "id,hours_billed\n", d.read(d.csvFn))
	assert.Equal(t, `{"last_billing_item_id":1004}`+"\n", d.read(d.state))
	assert.Equal(t, []string{"hours.csv", "hours.json"}, d.files(), "no temporary files left behind")
}

func TestHoursStateToStdout(t *testing.T) {
	d := newExportDir(t)
	d.write(d.state, `{"last_billing_item_id":41}`)
	reg := clitest.NewRegistry(t)
	reg.Register(streamed(url.Values{"after": {"41"}}), httpmock.NDJSONResponse(row(42, "2026-01-05", 2)))
	out, _, err := runHours(t, false, reg, "-o csv --columns id --tz UTC --state "+d.state)
	require.NoError(t, err)
	assert.Equal(t, "id\n42\n", out)
	assert.Equal(t, `{"last_billing_item_id":42}`+"\n", d.read(d.state))
}

// A run that fails changes nothing: the state file and the previous export
// stay as they were, so the next run exports the same rows again.
func TestHoursStateFailedRunChangesNothing(t *testing.T) {
	const oldState = `{"last_billing_item_id":1000}` + "\n"
	const oldExport = "id,hours_billed\n1000,1.00\n"
	errorLine := map[string]any{"error": map[string]any{"code": api.CodeUnavailable, "message": "the database connection was lost"}}
	tests := []struct {
		name     string
		resp     httpmock.Responder
		wantExit int
		wantErr  string
	}{
		{name: "stream ends with an error line", resp: httpmock.NDJSONResponse(row(1001, "2026-01-05", 2), errorLine),
			wantExit: cmdutil.ExitError, wantErr: "the database connection was lost"},
		{name: "stream cut mid-row", wantExit: cmdutil.ExitError, wantErr: "the server's answer was cut off before the end",
			resp: func(req *http.Request) (*http.Response, error) {
				resp, err := httpmock.NDJSONResponse(row(1001, "2026-01-05", 2))(req)
				if err == nil {
					resp.Body = cutBody(`{"id":1001,"client_id":300}` + "\n" + `{"id":1002,"cli`)
					resp.ContentLength = -1
				}
				return resp, err
			}},
		{name: "rejected before the first row", resp: httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			wantExit: cmdutil.ExitForbidden, wantErr: "your organization is not the billing organization on any contract"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newExportDir(t)
			d.write(d.state, oldState)
			d.write(d.csvFn, oldExport)
			reg := clitest.NewRegistry(t)
			reg.Register(streamed(url.Values{"after": {"1000"}}), tt.resp)
			out, errOut, err := runHours(t, false, reg, d.argv())
			require.Error(t, err)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "\n")
			assert.Empty(t, out)
			assert.Empty(t, errOut)
			assert.Equal(t, oldState, d.read(d.state), "state untouched")
			assert.Equal(t, oldExport, d.read(d.csvFn), "previous export untouched")
			assert.Equal(t, []string{"hours.csv", "hours.json"}, d.files(), "no temporary files left behind")
		})
	}
}

func TestHoursStateOutputFileFailureKeepsState(t *testing.T) {
	d := newExportDir(t)
	d.write(d.state, `{"last_billing_item_id":7}`)
	require.NoError(t, os.Mkdir(d.csvFn, 0o700)) // --output-file names a directory
	reg := clitest.NewRegistry(t)                // nothing is fetched for an export that cannot be written
	_, _, err := runHours(t, false, reg, d.argv())
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
	assert.Contains(t, err.Error(), "is not a regular file")
	assert.Equal(t, `{"last_billing_item_id":7}`, d.read(d.state))
}

// A state file that is not ours is a usage error found before any request.
func TestHoursStateUnreadable(t *testing.T) {
	for _, content := range []string{"last=41\n", `{"last_billing_item_id":-5}`, `{"last_billing_item_id":"x"}`} {
		t.Run(content, func(t *testing.T) {
			d := newExportDir(t)
			d.write(d.state, content)
			reg := clitest.NewRegistry(t)
			out, _, err := runHours(t, false, reg, d.argv())
			require.Error(t, err)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
			assert.Contains(t, err.Error(), "is not a portalctl state file")
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

// Rows come ordered by worked date, not by id, and the state remembers the
// highest id exported. A --limit'ed run would record an id beyond rows it
// never exported (a lower id worked later), and the next run would skip
// them for good; so --state exports every new row and refuses --limit.
func TestHoursStateRefusesLimit(t *testing.T) {
	d := newExportDir(t)
	reg := clitest.NewRegistry(t)
	_, _, err := runHours(t, false, reg, d.argv()+" --limit 2")
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
	assert.Contains(t, err.Error(), "--state")
	assert.Contains(t, err.Error(), "--limit")
	assert.Empty(t, reg.Requests)
	assert.Equal(t, []string(nil), d.files())
}

// --all is the default for an export and goes with --state.
func TestHoursStateWithAll(t *testing.T) {
	d := newExportDir(t)
	reg := clitest.NewRegistry(t)
	reg.Register(streamed(url.Values{}), httpmock.NDJSONResponse(row(5, "2026-01-01", 1), row(3, "2026-01-02", 1)))
	_, _, err := runHours(t, false, reg, d.argv()+" --all")
	require.NoError(t, err)
	assert.Equal(t, `{"last_billing_item_id":5}`+"\n", d.read(d.state))
}

// Ctrl-C midway: exit 130, and the state and the previous export stay.
func TestHoursStateInterruptedRunChangesNothing(t *testing.T) {
	d := newExportDir(t)
	d.write(d.state, `{"last_billing_item_id":1000}`)
	d.write(d.csvFn, "old export\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := clitest.NewRegistry(t)
	rows := httpmock.NDJSONResponse(row(1001, "2026-01-05", 2), row(1002, "2026-01-06", 2))
	reg.Register(streamed(url.Values{"after": {"1000"}}), func(req *http.Request) (*http.Response, error) {
		cancel() // the user presses Ctrl-C while the rows arrive
		return rows(req)
	})
	_, _, err := runHoursContext(ctx, t, false, reg, d.argv())
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitInterrupted, cmdutil.ExitCode(err), "err: %v", err)
	assert.Equal(t, `{"last_billing_item_id":1000}`, d.read(d.state))
	assert.Equal(t, "old export\n", d.read(d.csvFn))
	assert.Equal(t, []string{"hours.csv", "hours.json"}, d.files())
}
