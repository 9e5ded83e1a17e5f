package calendar_test

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/calendar/export"
	"github.com/portalctl/portalctl/internal/cli/calendar/list"
	"github.com/portalctl/portalctl/internal/cli/calendar/subscribe"
	"github.com/portalctl/portalctl/internal/cli/calendar/unsubscribe"
	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

var created = api.CreatedCalendarFeed{CalendarFeed: api.CalendarFeed{ID: 3, Name: "outlook",
	CreatedAt: time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)}, Token: "pcf_secret", Path: "/v1/calendar.ics?token=pcf_secret"}

const feedURL = "https://portal.test/v1/calendar.ics?token=pcf_secret"

func subscribeStub(reg *httpmock.Registry) {
	reg.Register(httpmock.REST("POST", "/v1/calendar/feeds"), httpmock.RESTPayload(201, created, func(body map[string]any) {
		if body["name"] != "outlook" {
			panic("name not sent")
		}
	}))
}

// TestSubscribePrintsTheURL: the URL alone on stdout, for a person and a
// script alike; the person also reads on stderr what to do with it.
func TestSubscribePrintsTheURL(t *testing.T) {
	reg := clitest.NewRegistry(t)
	subscribeStub(reg)
	out, errOut, err := clitest.Run(t, subscribe.NewCmdSubscribe, reg, "--name outlook", clitest.Opts{TTY: true, StderrTTY: true})
	require.NoError(t, err)
	assert.Equal(t, feedURL+"\n", out)
	assert.Contains(t, errOut, "✓ Created calendar subscription 3 (outlook)")
	assert.Contains(t, errOut, "Subscribe from web")
	assert.Contains(t, errOut, "portalctl calendar unsubscribe 3")

	reg = clitest.NewRegistry(t)
	subscribeStub(reg)
	out, errOut, err = clitest.Run(t, subscribe.NewCmdSubscribe, reg, "--name outlook", clitest.Opts{})
	require.NoError(t, err)
	assert.Equal(t, feedURL+"\n", out)
	assert.Empty(t, errOut)
}

func TestSubscribeJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	subscribeStub(reg)
	out, _, err := clitest.Run(t, subscribe.NewCmdSubscribe, reg, "--name outlook -o json", clitest.Opts{})
	require.NoError(t, err)
	got := clitest.DecodeJSON[map[string]any](t, out)
	assert.Equal(t, feedURL, got["url"])
	assert.Equal(t, float64(3), got["id"])
	assert.NotContains(t, got, "token", "the secret is in the URL only")
}

func TestSubscribeErrors(t *testing.T) {
	clitest.AssertAPIErrors(t, []clitest.APIError{
		clitest.ErrorRow("logged out", 401, api.CodeUnauthenticated, "your token is invalid", 4),
		clitest.ErrorRow("bad name", 400, api.CodeInvalidRequest, "name is too long", 6),
	}, func(t *testing.T, reg *httpmock.Registry, row clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("POST", "/v1/calendar/feeds"), row.Resp)
		return clitest.Run(t, subscribe.NewCmdSubscribe, reg, "", clitest.Opts{TTY: true, StderrTTY: true})
	})
}

func TestListSubscriptions(t *testing.T) {
	reg := clitest.NewRegistry(t)
	used := time.Date(2026, 2, 16, 8, 0, 0, 0, time.UTC)
	reg.Register(httpmock.REST("GET", "/v1/calendar/feeds"), httpmock.ListResponse([]api.CalendarFeed{
		{ID: 4, Name: "phone", CreatedAt: time.Date(2026, 2, 15, 13, 0, 0, 0, time.UTC), LastUsedAt: &used},
		{ID: 3, Name: "outlook", CreatedAt: time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)},
	}, ""))
	out, _, err := clitest.Run(t, list.NewCmdList, reg, "-o csv --tz UTC", clitest.Opts{})
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"id", "name", "created_at", "last_used_at"},
		{"4", "phone", "2026-02-15T13:00:00Z", "2026-02-16T08:00:00Z"},
		{"3", "outlook", "2026-02-15T12:00:00Z", ""},
	}, clitest.CSV(t, out))
}

func TestUnsubscribe(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("DELETE", "/v1/calendar/feeds/3"), httpmock.StatusStringResponse(204, ""))
	out, errOut, err := clitest.Run(t, unsubscribe.NewCmdUnsubscribe, reg, "3", clitest.Opts{StderrTTY: true})
	require.NoError(t, err)
	assert.Empty(t, out)
	assert.Equal(t, "✓ Revoked calendar subscription 3\n", errOut)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("DELETE", "/v1/calendar/feeds/9"), httpmock.ErrorResponse(404, api.CodeNotFound, "calendar subscription not found"))
	out, errOut, err = clitest.Run(t, unsubscribe.NewCmdUnsubscribe, reg, "9", clitest.Opts{StderrTTY: true})
	clitest.AssertFailed(t, out, errOut, err, 3, "")
	var hint *cmdutil.HintError
	require.ErrorAs(t, err, &hint)
	assert.Contains(t, hint.Hint, "portalctl calendar list")

	_, err = clitest.ParseFlags(t, unsubscribe.NewCmdUnsubscribe, "abc")
	clitest.AssertUsageError(t, err, `invalid subscription id "abc"`)
}

const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"

func TestExportWritesTheFeed(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/calendar.ics", url.Values{"project": {"P20260105.0001"}}),
		httpmock.WithHeader(httpmock.StringResponse(ics), "Content-Type", "text/calendar; charset=utf-8"))
	out, _, err := clitest.Run(t, export.NewCmdExport, reg, "--project P20260105.0001 -o ics", clitest.Opts{})
	require.NoError(t, err)
	assert.Equal(t, ics, out)

	dir := t.TempDir()
	file := filepath.Join(dir, "portal.ics")
	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/calendar.ics", url.Values{"project": nil}), httpmock.StringResponse(ics))
	out, _, err = clitest.Run(t, export.NewCmdExport, reg, "--output-file "+file, clitest.Opts{TTY: true})
	require.NoError(t, err)
	assert.Empty(t, out)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, ics, string(got))
}

// TestExportFailureLeavesNoFile: a refused export writes nothing, and an
// existing file stays as it was.
func TestExportFailureLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "portal.ics")
	require.NoError(t, os.WriteFile(file, []byte("old"), 0o600))
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/calendar.ics"), httpmock.ErrorResponse(401, api.CodeUnauthenticated, "log in again"))
	out, errOut, err := clitest.Run(t, export.NewCmdExport, reg, "--output-file "+file, clitest.Opts{})
	clitest.AssertFailed(t, out, errOut, err, 4, "")
	got, _ := os.ReadFile(file)
	assert.Equal(t, "old", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left")
}

func TestExportFlags(t *testing.T) {
	_, err := clitest.ParseFlags(t, export.NewCmdExport, "-o json")
	clitest.AssertUsageError(t, err, "ics")
	_, err = clitest.ParseFlags(t, export.NewCmdExport, "--project march")
	clitest.AssertUsageError(t, err, `invalid project "march"`)
	_, err = clitest.ParseFlags(t, export.NewCmdExport, "extra")
	clitest.AssertUsageError(t, err, "")
}
