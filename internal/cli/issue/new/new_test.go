package new

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

func TestNewCmdNew(t *testing.T) {
	longKey := strings.Repeat("k", api.MaxIdempotency)
	tests := []struct {
		cli       string
		want      Options // only the flag fields are compared
		wantUsage string
	}{
		{cli: "--project 1 --title 'Printer offline'",
			want: Options{Project: "1", Title: "Printer offline", Priority: "medium"}},
		{cli: "--project p20260105.0001 --title T -p HIGH --body text --if-absent",
			want: Options{Project: "P20260105.0001", Title: "T", Priority: "high", Body: "text", IfAbsent: true}},
		{cli: "--project 1 --title T --priority critical --body-file - --idempotency-key ci-run-42",
			want: Options{Project: "1", Title: "T", Priority: "critical", BodyFile: "-", IdempotencyKey: "ci-run-42"}},
		{cli: "--project 1 --title T --idempotency-key " + longKey,
			want: Options{Project: "1", Title: "T", Priority: "medium", IdempotencyKey: longKey}},
		{cli: "--title T", wantUsage: "--project is required"},
		{cli: "--project Office --title T", wantUsage: `--project: invalid project "Office"`},
		{cli: "--project 1", wantUsage: "--title is required"},
		{cli: "--project 1 --title '   '", wantUsage: "--title is required"},
		{cli: "--project 1 --title T --priority urgent", wantUsage: "valid values are low, medium, high, critical"},
		{cli: "--project 1 --title T --idempotency-key " + longKey + "x", wantUsage: "--idempotency-key is longer than 255 characters"},
		{cli: "--project 1 --title T extra", wantUsage: `unexpected argument "extra"`},
		{cli: "--project 1 --title T --force", wantUsage: "unknown flag: --force"},
	}
	for _, tt := range tests {
		t.Run(tt.cli[:min(len(tt.cli), 60)], func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdNew, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.want.Project, got.Project)
				assert.Equal(t, tt.want.Title, got.Title)
				assert.Equal(t, tt.want.Body, got.Body)
				assert.Equal(t, tt.want.BodyFile, got.BodyFile)
				assert.Equal(t, tt.want.Priority, got.Priority)
				assert.Equal(t, tt.want.IdempotencyKey, got.IdempotencyKey)
				assert.Equal(t, tt.want.IfAbsent, got.IfAbsent)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func issue(title, status string) api.Task {
	return api.Task{ID: 700, Number: "T20260301.0007", Title: title, Description: "", Status: status,
		Priority: ptr("medium"), IsIssue: true, ProjectID: 1, ProjectNumber: "P20260105.0001",
		CreatedAt: ptr(time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC))}
}

// runNew runs the command with the registry's client, which never retries.
func runNew(t *testing.T, tty bool, reg *httpmock.Registry, stdin, argv string) (string, string, error) {
	t.Helper()
	return runNewWith(t, tty, reg.APIClient(), stdin, argv)
}

func runNewWith(t *testing.T, tty bool, clientFn func() (*client.Client, error), stdin, argv string) (string, string, error) {
	t.Helper()
	return clitest.Run(t, NewCmdNew, nil, argv, clitest.Opts{TTY: tty, Width: 120, Stdin: stdin, Client: clientFn})
}

// retryingClient is the production retry rule with millisecond waits.
func retryingClient(reg *httpmock.Registry) func() (*client.Client, error) {
	return func() (*client.Client, error) {
		return client.New(client.Options{BaseURL: httpmock.TestHost, Token: "test-token", Transport: reg,
			Retries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})
	}
}

// expectIssue answers the POST with the issue, checking the JSON body sent.
func expectIssue(t *testing.T, reg *httpmock.Registry, path string, want map[string]any) {
	reg.Register(httpmock.REST("POST", path), httpmock.RESTPayload(201, issue(want["title"].(string), "new"),
		func(body map[string]any) { assert.Equal(t, want, body, "the request body") }))
}

var generatedKey = regexp.MustCompile(`^portalctl-[0-9a-f]{32}$`)

func TestNewRunOnATerminalConfirms(t *testing.T) {
	reg := clitest.NewRegistry(t)
	expectIssue(t, reg, "/v1/projects/P20260105.0001/issues",
		map[string]any{"title": "Printer offline", "description": "Floor 2", "priority": "high"})
	out, errOut, err := runNew(t, true, reg, "", "--project p20260105.0001 --title 'Printer offline' --body 'Floor 2' -p high")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.Equal(t, "✓ Filed issue T20260301.0007 \"Printer offline\"\n", out)
	require.Len(t, reg.Requests, 1)
	assert.Regexp(t, generatedKey, reg.Requests[0].Header.Get("Idempotency-Key"))
}

func TestNewRunEveryInvocationHasItsOwnKey(t *testing.T) {
	reg := clitest.NewRegistry(t)
	want := map[string]any{"title": "T", "description": "", "priority": "medium"}
	expectIssue(t, reg, "/v1/projects/1/issues", want)
	expectIssue(t, reg, "/v1/projects/1/issues", want)
	for range 2 {
		_, _, err := runNew(t, false, reg, "", "--project 1 --title T -o json")
		require.NoError(t, err)
	}
	require.Len(t, reg.Requests, 2)
	first, second := reg.Requests[0].Header.Get("Idempotency-Key"), reg.Requests[1].Header.Get("Idempotency-Key")
	assert.Regexp(t, generatedKey, first)
	assert.NotEqual(t, first, second, "two runs are two issues")
}

func TestNewRunBodyFromStdinPipedJSON(t *testing.T) {
	reg := clitest.NewRegistry(t)
	log := "--- FAIL: TestX\n\tx_test.go:12: boom\n"
	expectIssue(t, reg, "/v1/projects/1/issues", map[string]any{"title": "Tests failing on main", "description": log, "priority": "medium"})
	out, _, err := runNew(t, false, reg, log, "--project 1 --title 'Tests failing on main' --body-file - -o json")
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.Task](t, out)
	assert.Equal(t, "T20260301.0007", got.Number)
	assert.True(t, got.IsIssue)
}

func TestNewRunPipedWithoutFormatPrintsTheRecordAsTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	expectIssue(t, reg, "/v1/projects/1/issues", map[string]any{"title": "T", "description": "", "priority": "low"})
	out, _, err := runNew(t, false, reg, "", "--project 1 --title T -p low --tz UTC --columns number,status")
	require.NoError(t, err)
	assert.Equal(t, "number\tstatus\nT20260301.0007\tnew\n", out)
}

func TestNewRunIdempotencyKeyPassesThrough(t *testing.T) {
	reg := clitest.NewRegistry(t)
	expectIssue(t, reg, "/v1/projects/1/issues", map[string]any{"title": "T", "description": "", "priority": "medium"})
	_, _, err := runNew(t, true, reg, "", "--project 1 --title T --idempotency-key ci-pipeline-981")
	require.NoError(t, err)
	assert.Equal(t, "ci-pipeline-981", reg.Requests[0].Header.Get("Idempotency-Key"))
}

func TestNewRunRetryReusesTheKey(t *testing.T) {
	for _, key := range []string{"", "ci-pipeline-981"} {
		t.Run("key="+key, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.ErrorResponse(503, api.CodeUnavailable, "restarting"))
			expectIssue(t, reg, "/v1/projects/1/issues", map[string]any{"title": "T", "description": "B", "priority": "medium"})
			argv := "--project 1 --title T --body B"
			if key != "" {
				argv += " --idempotency-key " + key
			}
			out, errOut, err := runNewWith(t, true, retryingClient(reg), "", argv)
			require.NoError(t, err)
			assert.Empty(t, errOut)
			assert.Equal(t, "✓ Filed issue T20260301.0007 \"T\"\n", out, "one confirmation")
			require.Len(t, reg.Requests, 2, "503, then 201")
			sent := reg.Requests[0].Header.Get("Idempotency-Key")
			if key != "" {
				assert.Equal(t, key, sent)
			}
			assert.NotEmpty(t, sent)
			assert.Equal(t, sent, reg.Requests[1].Header.Get("Idempotency-Key"), "the retry carries the same key")
			assert.Equal(t, reg.Bodies[0], reg.Bodies[1], "and the same body")
		})
	}
}

func TestNewRunRejectionsAreNotRetried(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{
		Code: api.CodeInvalidRequest, Message: "title is longer than 255 characters", Details: map[string]any{"field": "title"}}}))
	_, _, err := runNewWith(t, false, retryingClient(reg), "", "--project 1 --title T")
	assert.Equal(t, cmdutil.ExitRejected, cmdutil.ExitCode(err))
	assert.Len(t, reg.Requests, 1)
}

// With --if-absent the server checks and files in one step: 200 with the
// open issue of that title, 201 with a new one. One request either way.
func TestNewRunIfAbsentAsksTheServer(t *testing.T) {
	tests := []struct {
		name, argv string
		tty        bool
		status     int
		wantOut    string
	}{
		{"already open, terminal", "", true, 200, "Issue T20260301.0007 \"printer offline \" is already open\n"},
		{"already open, json", " -o json --jq .number", false, 200, "T20260301.0007\n"},
		{"filed", "", true, 201, "✓ Filed issue T20260301.0007 \"printer offline \"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.RESTPayload(tt.status, issue("printer offline ", "new"),
				func(body map[string]any) {
					assert.Equal(t, map[string]any{"title": "Printer offline", "description": "", "priority": "medium", "if_absent": true}, body)
				}))
			out, _, err := runNew(t, tt.tty, reg, "", "--project 1 --title 'Printer offline' --if-absent"+tt.argv)
			require.NoError(t, err)
			assert.Equal(t, tt.wantOut, out)
			assert.Len(t, reg.Requests, 1)
		})
	}
}

// A portald that does not know if_absent refuses the field; portalctl then
// looks for the open issue itself before filing, as it used to.
func TestNewRunIfAbsentOnAnOlderServer(t *testing.T) {
	older := httpmock.ErrorResponse(400, api.CodeInvalidRequest, `request body is not valid JSON for this endpoint: json: unknown field "if_absent"`)
	t.Run("finds the open issue", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), older)
		reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"),
			httpmock.ListResponse([]api.Task{issue("Printer offline", api.TaskComplete), issue("printer OFFLINE", "new")}, ""))
		out, _, err := runNew(t, true, reg, "", "--project 1 --title 'Printer offline' --if-absent")
		require.NoError(t, err)
		assert.Equal(t, "Issue T20260301.0007 \"printer OFFLINE\" is already open\n", out)
	})
	t.Run("files when the same title is complete", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), older)
		reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"),
			httpmock.ListResponse([]api.Task{issue("Printer offline", api.TaskComplete), issue("Printer", "new")}, ""))
		expectIssue(t, reg, "/v1/projects/1/issues", map[string]any{"title": "Printer offline", "description": "", "priority": "medium"})
		out, _, err := runNew(t, true, reg, "", "--project 1 --title 'Printer offline' --if-absent")
		require.NoError(t, err)
		assert.Equal(t, "✓ Filed issue T20260301.0007 \"Printer offline\"\n", out)
	})
	t.Run("a list error files nothing", func(t *testing.T) {
		reg := clitest.NewRegistry(t)
		reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), older)
		reg.Register(httpmock.REST("GET", "/v1/projects/1/issues"), httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"))
		out, _, err := runNew(t, true, reg, "", "--project 1 --title T --if-absent")
		assert.Equal(t, cmdutil.ExitNotFound, cmdutil.ExitCode(err))
		assert.Equal(t, "project not found", err.Error())
		assert.Empty(t, out)
		assert.Len(t, reg.Requests, 2)
	})
}

func TestNewRunBodyMistakesAreUsageErrorsBeforeAnyCall(t *testing.T) {
	tests := []struct{ name, argv, want string }{
		{"both", "--project 1 --title T --body B --body-file -", "give --body or --body-file, not both"},
		{"missing file", "--project 1 --title T --body-file /nonexistent/build.log", "--body-file: open /nonexistent/build.log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			_, _, err := runNew(t, false, reg, "", tt.argv)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
			assert.ErrorContains(t, err, tt.want)
			assert.Empty(t, reg.Requests)
		})
	}
}

func TestNewRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "project not found", cmdutil.ExitNotFound),
		{Name: "no add_issues permission", Resp: httpmock.StatusJSONResponse(403, api.ErrorBody{Error: &api.Error{Code: api.CodeForbidden,
			Message: "your security level does not allow adding issues", Details: map[string]any{"permission": "add_issues"}}}),
			WantExit: cmdutil.ExitForbidden, WantErr: "your security level does not allow adding issues"},
		clitest.ErrorRow("read-only", 403, api.CodeReadOnly, "the portal is read-only", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		{Name: "title rejected", Resp: httpmock.StatusJSONResponse(400, api.ErrorBody{Error: &api.Error{Code: api.CodeInvalidRequest,
			Message: "title is longer than 255 characters", Details: map[string]any{"field": "title"}}}),
			WantExit: cmdutil.ExitRejected, WantErr: "title is longer than 255 characters"},
		clitest.ErrorRow("key reused for another issue", 409, api.CodeIdempotencyConflict,
			"the idempotency key was already used for a different request", cmdutil.ExitRejected),
		clitest.ErrorRow("project complete", 409, api.CodeConflict, "the project is complete", cmdutil.ExitRejected),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), tt.Resp)
		return runNew(t, true, reg, "", "--project 1 --title T --idempotency-key k1")
	})
}
