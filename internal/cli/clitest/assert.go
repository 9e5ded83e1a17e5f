package clitest

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
)

// AssertUsageError checks that err is a usage error (exit 2) whose message
// contains want; an empty want checks only the exit code.
func AssertUsageError(t testing.TB, err error, want string) {
	t.Helper()
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
	if want != "" {
		assert.ErrorContains(t, err, want)
	}
}

// AssertFailed checks a failed run as the user sees it: the exit code, the
// error exactly (an empty wantMsg skips that check) and on one line, nothing
// on stdout and nothing on stderr, because the root command prints the
// error once.
func AssertFailed(t testing.TB, stdout, stderr string, err error, wantExit int, wantMsg string) {
	t.Helper()
	require.Error(t, err)
	assert.Equal(t, wantExit, cmdutil.ExitCode(err), "err: %v", err)
	if wantMsg != "" {
		assert.Equal(t, wantMsg, err.Error())
	}
	assert.NotContains(t, err.Error(), "\n", "one error line")
	assert.Empty(t, stdout, "nothing on stdout when the command fails: no header, partial output or confirmation")
	assert.Empty(t, stderr, "the error is printed once, by the root command")
}

// Lines splits output into its lines, without the final newline.
func Lines(out string) []string {
	return strings.Split(strings.TrimRight(out, "\n"), "\n")
}

// CSV parses output as CSV, failing t when it is not.
func CSV(t testing.TB, out string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, out)
	return rows
}

// DecodeJSON parses output as one JSON value of type T, failing t when it
// is not.
func DecodeJSON[T any](t testing.TB, out string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	return v
}
