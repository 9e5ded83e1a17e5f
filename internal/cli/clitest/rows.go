package clitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/httpmock"
)

// ParseRow checks one row of a table of command lines. With wantUsage ""
// the line must parse, and the Options the command would run with are
// returned. Otherwise it must be a usage error whose message contains
// wantUsage, and nil is returned; without then checks the command must not
// even have started (with them, runF ran and its check failed).
func ParseRow[O any](t testing.TB, newCmd NewCmdFunc[O], cli, wantUsage string, then ...func(*O) error) *O {
	t.Helper()
	return parseRow(t, newCmd, cli, wantUsage != "", wantUsage, then)
}

// ParseRowAnyUsage is ParseRow for tables that expect a usage error (exit
// code 2) on some lines without naming its message.
func ParseRowAnyUsage[O any](t testing.TB, newCmd NewCmdFunc[O], cli string, wantUsage bool, then ...func(*O) error) *O {
	t.Helper()
	return parseRow(t, newCmd, cli, wantUsage, "", then)
}

func parseRow[O any](t testing.TB, newCmd NewCmdFunc[O], cli string, wantUsage bool, msg string, then []func(*O) error) *O {
	t.Helper()
	got, err := ParseFlags(t, newCmd, cli, then...)
	if wantUsage {
		AssertUsageError(t, err, msg)
		if len(then) == 0 {
			assert.Nil(t, got, "the command must not run after a usage error")
		}
		return nil
	}
	require.NoError(t, err)
	require.NotNil(t, got, "the command did not run")
	return got
}

// APIError is one row of a table of failing runs: the name of the subtest,
// what the API answers, and the exit code and the one error line the user
// then gets (WantErr "" checks only the exit code). Argv and Path are for
// tables whose rows vary the command line or the endpoint.
type APIError struct {
	Name       string
	Argv, Path string
	Resp       httpmock.Responder
	WantExit   int
	WantErr    string
}

// ErrorRow is the usual APIError: the API's error shape with code and
// message, and the message is exactly the error line the user sees.
func ErrorRow(name string, status int, code, message string, wantExit int) APIError {
	return APIError{Name: name, Resp: httpmock.ErrorResponse(status, code, message), WantExit: wantExit, WantErr: message}
}

// AssertAPIErrors runs one subtest per row: run registers the row's answer
// on a fresh registry (every stub must be called) and runs the command,
// which must then fail as AssertFailed checks. run may assert more itself.
func AssertAPIErrors(t *testing.T, rows []APIError, run func(t *testing.T, reg *httpmock.Registry, row APIError) (stdout, stderr string, err error)) {
	t.Helper()
	for _, row := range rows {
		t.Run(row.Name, func(t *testing.T) {
			reg := NewRegistry(t)
			out, errOut, err := run(t, reg, row)
			AssertFailed(t, out, errOut, err, row.WantExit, row.WantErr)
		})
	}
}
