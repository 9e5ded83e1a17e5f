package view

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdView(t *testing.T) {
	tests := []struct {
		cli         string
		wantProject string
		wantWeb     bool
		wantUsage   string // part of the usage error message
	}{
		{cli: "42", wantProject: "42"},
		{cli: "P20260105.0001", wantProject: "P20260105.0001"},
		{cli: "p20260105.0001 --web", wantProject: "P20260105.0001", wantWeb: true},
		{cli: "", wantUsage: "projects view needs a project id or number"},
		{cli: "1 2", wantUsage: "too many arguments"},
		{cli: "office", wantUsage: `invalid project "office"`},
		{cli: "0", wantUsage: `invalid project "0"`},
		{cli: "P2026.1", wantUsage: "P20260105.0001"},
		{cli: "1 --nope", wantUsage: "unknown flag: --nope"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdView, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantProject, got.Project)
				assert.Equal(t, tt.wantWeb, got.Web)
			}
		})
	}
}

var completedAt = time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC)

func project() api.Project {
	lead := "Alex Admin"
	start, end := api.Date("2026-01-05"), api.Date("2026-04-30")
	pct := api.NewDecimal(42, 50)
	return api.Project{ID: 1, Number: "P20260105.0001", Name: "Office 365 migration", Status: "in_progress",
		OrganizationID: 100, OrganizationName: "Contoso Ltd", StartDate: &start, EndDate: &end,
		CompletedAt: &completedAt, Lead: &lead, Description: "Move mail and files.\nThen Teams.",
		PercentComplete: &pct}
}

var runView = clitest.Runner(NewCmdView, 120)

func TestViewRunOnATerminalShowsEveryFieldInTheOrganizationsZone(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/P20260105.0001"), httpmock.JSONResponse(project()))
	out, errOut, err := runView(t, true, reg, "p20260105.0001")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	for _, line := range []string{
		"number:            P20260105.0001",
		"name:              Office 365 migration",
		"organization_name: Contoso Ltd",
		"start_date:        2026-01-05",
		"lead:              Alex Admin",
		"percent_complete:  42.50",
		"description:       Move mail and files.\n                   Then Teams.",
	} {
		assert.Contains(t, out, line)
	}
	// 23:30 UTC is 18:30 in Chicago (CDT) on 28 March 2026.
	assert.Regexp(t, `completed_at: +2026-03-28 18:30`, out)
	assert.Contains(t, out, "estimated_hours:\n", "a null value prints an empty field")
}

func TestViewRunPipedTSVIsHeaderAndOneRow(t *testing.T) {
	reg := clitest.NewRegistry(t)
	clitest.MeStub(reg, "America/Chicago")
	reg.Register(httpmock.REST("GET", "/v1/projects/1"), httpmock.JSONResponse(project()))
	out, _, err := runView(t, false, reg, "1 --columns number,name,description,completed_at")
	require.NoError(t, err)
	assert.Equal(t, "number\tname\tdescription\tcompleted_at\n"+
		"P20260105.0001\tOffice 365 migration\tMove mail and files.\\nThen Teams.\t2026-03-28T18:30:00-05:00\n", out)
}

func TestViewRunJSONIsOneObjectInUTC(t *testing.T) {
	reg := clitest.NewRegistry(t) // no /v1/me: JSON keeps the API's UTC values
	reg.Register(httpmock.REST("GET", "/v1/projects/1"), httpmock.JSONResponse(project()))
	out, _, err := runView(t, true, reg, "1 -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.Project](t, out)
	assert.Equal(t, project().Number, got.Number)
	assert.Equal(t, "Move mail and files.\nThen Teams.", got.Description)
	assert.Equal(t, completedAt, got.CompletedAt.UTC())
	assert.Contains(t, out, `"percent_complete": 42.50`)
	assert.Contains(t, out, `"estimated_hours": null`)
	assert.Contains(t, out, `"completed_at": "2026-03-28T23:30:00Z"`)
}

func TestViewRunJQ(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/projects/1"), httpmock.JSONResponse(project()))
	out, _, err := runView(t, false, reg, "1 --jq .lead")
	require.NoError(t, err)
	assert.Equal(t, "Alex Admin\n", out) // strings raw, as gh prints them
}

// browsed records the pages a command opens.
type browsed struct {
	urls []string
	err  error
}

func (b *browsed) Browse(url string) error { b.urls = append(b.urls, url); return b.err }

func meWithWebURL(webURL *string) api.Me {
	return api.Me{User: api.User{Username: "ava"}, WebURL: webURL}
}

// --web opens the project's page of the portal's web site (its address
// from /v1/me), not the JSON API; --print-url prints it.
func TestViewRunWeb(t *testing.T) {
	web := "https://portal.example.com/"
	tests := []struct {
		name, argv string
		stderrTTY  bool
		webURL     *string
		browseErr  error
		wantOut    string
		wantErr    string
		wantHint   string
		wantOpened []string
		wantStderr string
	}{
		{name: "print url", argv: "P20260105.0001 --print-url", webURL: &web,
			wantOut: "https://portal.example.com/projects/1\n"},
		{name: "web opens the browser", argv: "P20260105.0001 --web", webURL: &web, stderrTTY: true,
			wantOpened: []string{"https://portal.example.com/projects/1"},
			wantStderr: "Opening https://portal.example.com/projects/1 in your browser.\n"},
		{name: "web when piped says nothing", argv: "1 --web", webURL: &web,
			wantOpened: []string{"https://portal.example.com/projects/1"}},
		{name: "no web address", argv: "1 --web", wantErr: "this portal has no web address configured",
			wantHint: "--web-url"},
		{name: "browser fails", argv: "1 --web", webURL: &web, browseErr: errors.New("cannot open a browser: xdg-open is not installed"),
			wantOpened: []string{"https://portal.example.com/projects/1"}, wantErr: "xdg-open is not installed", wantHint: "--print-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			ref := strings.Fields(tt.argv)[0]
			reg.Register(httpmock.REST("GET", "/v1/projects/"+ref), httpmock.JSONResponse(project()))
			reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(meWithWebURL(tt.webURL)))
			b := &browsed{err: tt.browseErr}
			out, errOut, err := clitest.Run(t, NewCmdView, reg, tt.argv, clitest.Opts{StderrTTY: tt.stderrTTY, Browser: b})
			assert.Equal(t, tt.wantOut, out)
			assert.Equal(t, tt.wantOpened, b.urls)
			assert.Equal(t, tt.wantStderr, errOut)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, cmdutil.Hint(err), tt.wantHint)
		})
	}
}

func TestViewRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		code     string
		message  string
		wantExit int
		wantHint string
	}{
		{"not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound, ""},
		{"forbidden", 403, api.CodeForbidden, "your security level does not allow viewing this project", cmdutil.ExitForbidden, ""},
		{"token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed, "run `portalctl auth login` to sign in again"},
		{"rate limited", 429, api.CodeRateLimited, "too many requests", cmdutil.ExitRateLimited, "the portal is limiting requests; wait the time it names and try again"},
		{"server error", 500, api.CodeInternal, "internal error", cmdutil.ExitError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("GET", "/v1/projects/7"), httpmock.ErrorResponse(tt.status, tt.code, tt.message))
			out, errOut, err := runView(t, true, reg, "7")
			clitest.AssertFailed(t, out, errOut, err, tt.wantExit, tt.message) // the server's message is the one error line
			assert.Equal(t, tt.wantHint, cmdutil.Hint(err))
		})
	}
}

func TestViewRunBadOutputFlagsAreUsageErrors(t *testing.T) {
	tests := []struct {
		argv, want string
		needsZone  bool // CSV asks for the organization's zone before checking columns
	}{
		{argv: "1 -o xml", want: "xml"},
		{argv: "1 --tz Mars/Olympus", want: `invalid --tz "Mars/Olympus"`},
		{argv: "1 -o csv --columns number,colour", want: "colour", needsZone: true},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			// The project is fetched first; the flags are checked when rendering.
			reg.Register(httpmock.REST("GET", "/v1/projects/1"), httpmock.JSONResponse(project()))
			if tt.needsZone {
				clitest.MeStub(reg, "America/Chicago")
			}
			out, _, err := runView(t, false, reg, tt.argv)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
			assert.ErrorContains(t, err, tt.want)
			assert.False(t, strings.Contains(err.Error(), "\n"), "one line: %q", err.Error())
			assert.Empty(t, out)
		})
	}
}
