package hours_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

// The nightly cron job as a whole command line: a stream that fails midway
// prints one error line (and a hint), exits non-zero and changes nothing.
func TestHoursCommandLineFailedStream(t *testing.T) {
	dir := t.TempDir()
	state, export := filepath.Join(dir, "hours.json"), filepath.Join(dir, "hours.csv")
	const saved = `{"format":2,"server":"https://portal.test","user":"chloe","feed":"f00d","position":41}`
	require.NoError(t, os.WriteFile(state, []byte(saved), 0o600))

	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(api.Me{User: api.User{Username: "chloe"}}))
	reg.Register(httpmock.MatchFunc("GET billed-hours NDJSON since=f00d:41", func(req *http.Request) bool {
		return req.URL.Path == "/v1/end-client/billed-hours" && req.URL.Query().Get("since") == "f00d:41" &&
			req.Header.Get("Accept") == "application/x-ndjson"
	}), func(req *http.Request) (*http.Response, error) {
		resp, err := httpmock.NDJSONResponse(
			api.BilledHoursRow{ID: 42, Entry: "new", ClientName: "Tailspin Dental", WorkedDate: "2026-01-05", HoursBilled: api.NewDecimal(2, 0)},
			map[string]any{"error": map[string]any{"code": api.CodeUnavailable, "message": "the database connection was lost"}})(req)
		if err == nil {
			resp.Header.Set("Portal-Feed-Position", "f00d:43")
		}
		return resp, err
	})
	f, _, out, errOut := clitest.CommandLine(t, reg)

	code := cli.Run(context.Background(), f, []string{"endclient", "hours", "-o", "csv", "--tz", "UTC",
		"--state", state, "--output-file", export})

	assert.Equal(t, 1, code)
	assert.Equal(t, "error: the database connection was lost\nhint: the portal is temporarily unavailable; try again later\n", errOut.String())
	assert.Empty(t, out.String())
	b, err := os.ReadFile(state)
	require.NoError(t, err)
	assert.Equal(t, saved, string(b))
	_, err = os.Stat(export)
	assert.True(t, os.IsNotExist(err), "no partial export")
}
