package email

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdEmail(t *testing.T) {
	tests := []struct {
		cli       string
		want      Options
		wantUsage string
	}{
		{cli: `--project P20260105.0001 --subject Cut-over --body "Is Friday OK?"`,
			want: Options{Project: "P20260105.0001", Subject: "Cut-over", Body: "Is Friday OK?", bodySet: true}},
		{cli: `--project 5 --end-client --subject Status --body-file notes.txt`,
			want: Options{Project: "5", Subject: "Status", BodyFile: "notes.txt", EndClient: true}},
		{cli: `--project 5 --subject S --body-file -`, want: Options{Project: "5", Subject: "S", BodyFile: "-"}},
		{cli: `--subject S --body B`, wantUsage: "--project is required"},
		{cli: `--project P1 --subject S --body B`, wantUsage: `--project: invalid project "P1"`},
		{cli: `--project 5 --body B`, wantUsage: "--subject is required"},
		{cli: `--project 5 --subject "  " --body B`, wantUsage: "--subject is required"},
		{cli: `5 --subject S --body B`, wantUsage: `unexpected argument "5"`},
		{cli: `--project 5 --subject S --message B`, wantUsage: "unknown flag: --message"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdEmail, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.want.Project, got.Project)
				assert.Equal(t, tt.want.Subject, got.Subject)
				assert.Equal(t, tt.want.Body, got.Body)
				assert.Equal(t, tt.want.BodyFile, got.BodyFile)
				assert.Equal(t, tt.want.EndClient, got.EndClient)
				assert.Equal(t, tt.want.bodySet, got.bodySet)
			}
		})
	}
}

var sent = api.EmailResult{ID: 12, Recipients: []string{"sam@provider.test", "jane@contoso.test"}, Status: "sent"}

func runEmail(t *testing.T, tty bool, reg *httpmock.Registry, stdin, argv string) (string, string, error) {
	t.Helper()
	return clitest.Run(t, NewCmdEmail, reg, argv, clitest.Opts{TTY: tty, Width: 120, Stdin: stdin})
}

func TestEmailRunSendsSubjectAndBody(t *testing.T) {
	bodyFile := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(bodyFile, []byte("From a file.\n"), 0o600))
	tests := []struct {
		name     string
		argv     string
		stdin    string
		path     string
		wantBody string
	}{
		{name: "--body", argv: `--project p20260105.0001 --subject Cut-over --body "Is Friday OK?"`,
			path: "/v1/projects/P20260105.0001/team/email", wantBody: "Is Friday OK?"},
		{name: "body from stdin", argv: `--project 1 --subject Cut-over --body-file -`, stdin: "Line 1\nLine 2\n",
			path: "/v1/projects/1/team/email", wantBody: "Line 1\nLine 2\n"},
		{name: "body from a file", argv: `--project 1 --subject Cut-over --body-file ` + bodyFile,
			path: "/v1/projects/1/team/email", wantBody: "From a file.\n"},
		{name: "end-client project", argv: `--project 5 --end-client --subject Cut-over --body "Is Friday OK?"`,
			path: "/v1/end-client/projects/5/team/email", wantBody: "Is Friday OK?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("POST", tt.path), httpmock.RESTPayload(201, sent, func(body map[string]any) {
				assert.Equal(t, map[string]any{"subject": "Cut-over", "body": tt.wantBody}, body)
			}))
			out, errOut, err := runEmail(t, true, reg, tt.stdin, tt.argv)
			require.NoError(t, err)
			assert.Equal(t, "✓ Email sent to 2 team members: sam@provider.test, jane@contoso.test\n", out)
			assert.Empty(t, errOut)
		})
	}
}

func TestEmailRunQueuedPipedJSON(t *testing.T) {
	queued := api.EmailResult{ID: 13, Recipients: []string{"sam@provider.test"}, Status: "queued"}
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/team/email"), httpmock.JSONResponse(queued))
	out, _, err := runEmail(t, false, reg, "", `--project 1 --subject S --body B -o json`)
	require.NoError(t, err)
	got := clitest.DecodeJSON[api.EmailResult](t, out)
	assert.Equal(t, queued, got)
}

func TestEmailRunPipedTSV(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/team/email"), httpmock.JSONResponse(sent))
	out, _, err := runEmail(t, false, reg, "", `--project 1 --subject S --body B --tz UTC`)
	require.NoError(t, err)
	assert.Equal(t, "id\trecipients\tstatus\n12\tsam@provider.test, jane@contoso.test\tsent\n", out)
}

// What the user got wrong is found before anything is sent.
func TestEmailRunBodyUsageErrorsSendNothing(t *testing.T) {
	tests := []struct {
		name    string
		argv    string
		stdin   string
		wantErr string
	}{
		{name: "no body", argv: `--project 1 --subject S`,
			wantErr: "give the text with --body, or --body-file FILE (- reads standard input)"},
		{name: "both", argv: `--project 1 --subject S --body B --body-file -`, stdin: "x",
			wantErr: "give --body or --body-file, not both"},
		{name: "empty --body", argv: `--project 1 --subject S --body ""`, wantErr: "the text is blank"},
		{name: "blank --body", argv: `--project 1 --subject S --body "  
 "`, wantErr: "the text is blank"},
		{name: "empty stdin", argv: `--project 1 --subject S --body-file -`, wantErr: "the text is blank"},
		{name: "missing file", argv: `--project 1 --subject S --body-file ` + filepath.Join(t.TempDir(), "nope.txt"),
			wantErr: "--body-file: open "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t) // no stubs: a request would fail with exit 1
			out, errOut, err := runEmail(t, true, reg, tt.stdin, tt.argv)
			require.Error(t, err)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err), "err: %v", err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "\n")
			assert.Empty(t, reg.Requests, "nothing was sent")
			assert.Empty(t, out)
			assert.Empty(t, errOut)
		})
	}
}

func TestEmailRunErrors(t *testing.T) {
	tests := []clitest.APIError{
		{Name: "no email_team permission", Argv: "--project 1", Path: "/v1/projects/1/team/email",
			Resp:     httpmock.ErrorResponse(403, api.CodeForbidden, "your security level does not allow emailing the project team"),
			WantExit: cmdutil.ExitForbidden, WantErr: "your security level does not allow emailing the project team"},
		{Name: "no such project", Argv: "--project 404", Path: "/v1/projects/404/team/email",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "project not found"), WantExit: cmdutil.ExitNotFound, WantErr: "project not found"},
		{Name: "not a billing organization", Argv: "--project 5 --end-client", Path: "/v1/end-client/projects/5/team/email",
			Resp:     httpmock.ErrorResponse(403, api.CodeNotBillingOrganization, "your organization is not the billing organization on any contract"),
			WantExit: cmdutil.ExitForbidden, WantErr: "your organization is not the billing organization on any contract"},
		{Name: "body too long", Argv: "--project 1", Path: "/v1/projects/1/team/email",
			Resp:     httpmock.StatusJSONResponse(400, api.ErrorBody{Error: api.Invalid("body", "body is longer than 32000 characters")}),
			WantExit: cmdutil.ExitRejected, WantErr: "body is longer than 32000 characters"},
		{Name: "token rejected", Argv: "--project 1", Path: "/v1/projects/1/team/email",
			Resp: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token expired"), WantExit: cmdutil.ExitNotAuthed, WantErr: "token expired"},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("POST", tt.Path), tt.Resp)
		return runEmail(t, true, reg, "", tt.Argv+" --subject S --body B")
	})
}
