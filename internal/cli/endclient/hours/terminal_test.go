package hours

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func rows(n int) []api.BilledHoursRow {
	out := make([]api.BilledHoursRow, n)
	for i := range out {
		out[i] = row(int64(1001+i), "2026-01-05", 2)
	}
	return out
}

// On a terminal hours shows 30 rows, and says on stderr that more match
// and how to see them; --all streams every row through the pager.
func TestHoursOnATerminalIsAList(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "UTC")
	reg.Register(paged("31"), httpmock.ListResponse(rows(31), "more"))
	out, errOut, err := clitest.Run(t, NewCmdHours, reg, "", clitest.Opts{TTY: true, StderrTTY: true, Width: 200})
	require.NoError(t, err)
	assert.Len(t, clitest.Lines(out), 31, "header and 30 rows")
	assert.NotContains(t, out, "1031")
	assert.Equal(t, "Showing the first 30 rows; more match: use --all for every row, or --limit N\n", errOut)

	paged := filepath.Join(t.TempDir(), "paged")
	pager := fmt.Sprintf("sh -c 'cat > %s'", paged)
	reg = clitest.NewRegistry(t)
	clitest.MeStub(reg, "UTC")
	reg.Register(streamed(url.Values{}), httpmock.NDJSONResponse(toAny(rows(250))...))
	out, errOut, err = clitest.Run(t, NewCmdHours, reg, "--all", clitest.Opts{TTY: true, StderrTTY: true, Width: 200, Pager: pager})
	require.NoError(t, err)
	assert.Empty(t, out, "everything went to the pager")
	assert.Empty(t, errOut)
	b, err := os.ReadFile(paged)
	require.NoError(t, err)
	assert.Len(t, clitest.Lines(string(b)), 251)

	reg = clitest.NewRegistry(t)
	clitest.MeStub(reg, "UTC")
	reg.Register(paged2(), httpmock.ListResponse(rows(3), ""))
	out, _, err = clitest.Run(t, NewCmdHours, reg, "--no-pager -L 5", clitest.Opts{TTY: true, Width: 200, Pager: pager})
	require.NoError(t, err)
	assert.Len(t, clitest.Lines(out), 4, "--no-pager writes to the terminal")
}

func paged2() httpmock.Matcher { return paged("6") }

// An export to a file or with --state is never cut by the terminal's
// default; on a terminal's stderr it ends with what it wrote.
func TestHoursExportOnATerminalIsWhole(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hours.csv")
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "UTC")
	reg.Register(streamed(url.Values{}), httpmock.NDJSONResponse(toAny(rows(40))...))
	_, errOut, err := clitest.Run(t, NewCmdHours, reg, "--output-file "+file, clitest.Opts{TTY: true, StderrTTY: true})
	require.NoError(t, err)
	assert.Equal(t, "wrote 40 rows to "+file+"\n", errOut)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, 41, strings.Count(string(b), "\n"), "CSV from the extension: header and every row")
	assert.True(t, strings.HasPrefix(string(b), "id,entry,worked_date,"), "format from the .csv extension")

	reg = clitest.NewRegistry(t)
	meStub(reg)
	reg.Register(streamed(url.Values{}), feedResponse("f00d:7", toAny(rows(40))...))
	out, _, err := clitest.Run(t, NewCmdHours, reg, "--state "+filepath.Join(dir, "state.json"), clitest.Opts{TTY: true, Width: 200})
	require.NoError(t, err)
	assert.Len(t, clitest.Lines(out), 41, "--state exports every new row")
}

func toAny[T any](rows []T) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}
