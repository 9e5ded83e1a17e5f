package email_test

import (
	"context"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

// Whole command lines through cli.Run on a terminal: what the user sees and
// the exit code.
func TestEmailCommandLine(t *testing.T) {
	tests := []struct {
		name             string
		cli, stdin       string
		path             string // the POST expected, "" for none
		resp             httpmock.Responder
		wantExit         int
		wantOut, wantErr string
	}{
		{name: "end-client project, body from stdin", cli: "team email --project 5 --end-client --subject Status --body-file -",
			stdin: "All good.\n", path: "/v1/end-client/projects/5/team/email",
			resp:    httpmock.JSONResponse(api.EmailResult{ID: 1, Recipients: []string{"sam@provider.test"}, Status: "queued"}),
			wantOut: "✓ Email queued to 1 team member: sam@provider.test\n  See who has it: portalctl team email status 1\n"},
		{name: "empty stdin", cli: "team email --project 5 --subject Status --body-file -", wantExit: 2,
			wantErr: "error: the text is blank: give it with --body, or --body-file FILE (- reads standard input)\n" +
				"hint: run 'portalctl team email --help' for usage\n"},
		{name: "no subject", cli: "team email --project 5 --body Hi", wantExit: 2,
			wantErr: "error: --subject is required\nhint: run 'portalctl team email --help' for usage\n"},
		{name: "past the email limit", cli: "team email --project 5 --subject S --body Hi", path: "/v1/projects/5/team/email",
			resp: httpmock.ErrorResponse(429, api.CodeRateLimited, "you have sent too many emails (team emails and task notifications): "+
				"10 at once, then one every 1m0s; try again in 42s"),
			wantExit: 7},
		{name: "no permission", cli: "team email --project 5 --subject S --body Hi", path: "/v1/projects/5/team/email",
			resp:     httpmock.ErrorResponse(403, api.CodeForbidden, "your security level does not allow emailing the project team"),
			wantExit: 5, wantErr: "error: your security level does not allow emailing the project team\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			if tt.path != "" {
				reg.Register(httpmock.REST("POST", tt.path), tt.resp)
			}
			f, in, out, errOut := clitest.CommandLine(t, reg)
			in.WriteString(tt.stdin)
			f.IOStreams.SetStdoutTTY(true)
			args, err := shlex.Split(tt.cli)
			require.NoError(t, err)
			code := cli.Run(context.Background(), f, args)
			assert.Equal(t, tt.wantExit, code)
			assert.Equal(t, tt.wantOut, out.String())
			if tt.wantErr != "" || tt.wantExit == 0 {
				assert.Equal(t, tt.wantErr, errOut.String())
			} else {
				assert.Contains(t, errOut.String(), "too many emails")
			}
			if tt.path == "" {
				assert.Empty(t, reg.Requests, "nothing sent")
			}
		})
	}
}
