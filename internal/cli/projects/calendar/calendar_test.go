package calendar

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdCalendar(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantFrom    api.Date
		wantTo      api.Date
		wantUsage   string
	}{
		{cli: "1", wantProject: "1"},
		{cli: "P20260105.0001 --from 2026-03-01 --to 2026-03-31", wantProject: "P20260105.0001", wantFrom: "2026-03-01", wantTo: "2026-03-31"},
		{cli: "1 --to 2026-12-31", wantProject: "1", wantTo: "2026-12-31"},
		{cli: "", wantUsage: "projects calendar needs a project id or number"},
		{cli: "1 2", wantUsage: "too many arguments"},
		{cli: "march", wantUsage: `invalid project "march"`},
		{cli: "1 --from 03/01/2026", wantUsage: "--from"},
		{cli: "1 --from 2026-02-30", wantUsage: "--from"},
		{cli: "1 --to tomorrow", wantUsage: "--to"},
		{cli: "1 --from", wantUsage: "flag needs an argument"},
		{cli: "1 --limit 5", wantUsage: "unknown flag: --limit"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdCalendar, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				assert.Equal(t, tt.wantFrom, got.From)
				assert.Equal(t, tt.wantTo, got.To)
			}
		})
	}
}

var events = []api.Event{
	{ID: 30, ProjectID: 1, Title: "Cut-over weekend", StartsAt: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC),
		EndsAt: time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC), AllDay: true, Location: "Head office"},
	{ID: 31, ProjectID: 1, Title: "Kick-off, all hands", StartsAt: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC),
		EndsAt: time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC), Location: "Teams", Description: "Agenda:\n1. scope"},
}

var runCalendar = clitest.Runner(NewCmdCalendar, 120)

func TestCalendarRunOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Los_Angeles")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/P20260105.0001/calendar", url.Values{"from": nil, "to": nil, "limit": {"500"}}),
		httpmock.ListResponse(events, ""))
	out, errOut, err := runCalendar(t, true, reg, "P20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 3, out)
	assert.Regexp(t, `^ID +TITLE +STARTS +ENDS +ALL DAY +LOCATION$`, lines[0])
	assert.Regexp(t, `^30 +Cut-over weekend +2026-03-13 17:00 PDT +2026-03-15 17:00 PDT +true +Head office$`, lines[1])
	assert.Regexp(t, `^31 +Kick-off, all hands +2026-03-02 07:00 PST +2026-03-02 08:30 PST +false +Teams$`, lines[2])
}

func TestCalendarRunSendsTheDateRange(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/calendar", url.Values{"from": {"2026-03-01"}, "to": {"2026-03-31"}}),
		httpmock.ListResponse(events, ""))
	out, _, err := runCalendar(t, false, reg, "1 --from 2026-03-01 --to 2026-03-31 -o csv --tz UTC --columns id,title,starts_at,all_day,description")
	require.NoError(t, err)
	rows := clitest.CSV(t, out)
	assert.Equal(t, [][]string{
		{"id", "title", "starts_at", "all_day", "description"},
		{"30", "Cut-over weekend", "2026-03-14T00:00:00Z", "true", ""},
		{"31", "Kick-off, all hands", "2026-03-02T15:00:00Z", "false", "Agenda:\n1. scope"},
	}, rows)
}

func TestCalendarRunPipedTSVInTheOrganizationsZone(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Los_Angeles")
	reg.Register(httpmock.QueryMatcher("GET", "/v1/projects/1/calendar", url.Values{"from": {"2026-03-02"}, "to": nil}),
		httpmock.ListResponse(events[1:], ""))
	out, _, err := runCalendar(t, false, reg, "1 --from 2026-03-02 --columns id,starts_at,ends_at")
	require.NoError(t, err)
	assert.Equal(t, "id\tstarts_at\tends_at\n31\t2026-03-02T07:00:00-08:00\t2026-03-02T08:30:00-08:00\n", out)
}

func TestCalendarRunJSONKeepsUTC(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/calendar"), httpmock.ListResponse(events, ""))
	out, _, err := runCalendar(t, false, reg, "1 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[[]api.Event](t, out)
	assert.Equal(t, events, got)
	assert.Contains(t, out, `"starts_at":"2026-03-02T15:00:00Z"`)
}

func TestCalendarRunNoEventsIsEmptyArray(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1/calendar"), httpmock.ListResponse([]api.Event{}, ""))
	out, _, err := runCalendar(t, false, reg, "1 -o json --to 2020-01-01")
	require.NoError(t, err)
	assert.Equal(t, "[]\n", out)
}

func TestCalendarRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("forbidden", 403, api.CodeForbidden, "you are not on this project's team", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		{Name: "bad date the server rejects", Resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{
			Code: api.CodeInvalidRequest, Message: `to must be a date (YYYY-MM-DD) or an RFC 3339 time, not "x"`,
			Details: map[string]any{"field": "to"}}}), WantExit: cmdutil.ExitRejected, WantErr: `to must be a date (YYYY-MM-DD) or an RFC 3339 time, not "x"`},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", "/v1/projects/1/calendar"), tt.Resp)
		return runCalendar(t, false, reg, "1 -o json")
	})
}

// TestCalendarICS: -o ics writes the project's iCalendar feed as the
// server sends it; the list flags that cannot apply are usage errors.
func TestCalendarICS(t *testing.T) {
	const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.QueryMatcher("GET", "/v1/calendar.ics", url.Values{"project": {"P20260105.0001"}}), httpmock.StringResponse(ics))
	out, _, err := runCalendar(t, true, reg, "P20260105.0001 -o ics")
	require.NoError(t, err)
	assert.Equal(t, ics, out)

	for cli, want := range map[string]string{
		"1 -o ics --from 2026-03-01": "--from and --to do not apply to -o ics",
		"1 -o ics --jq .":            "--jq does not apply to -o ics",
		"1 -o ics --columns id":      "--columns does not apply to -o ics",
	} {
		out, errOut, err := runCalendar(t, false, clitest.NewRegistry(t), cli)
		clitest.AssertUsageError(t, err, want)
		assert.Empty(t, out+errOut)
	}
}
