package status

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdStatus(t *testing.T) {
	tests := []struct {
		cli       string
		wantID    string
		wantUsage bool
	}{
		{cli: "12", wantID: "12"},
		{cli: "", wantUsage: true},
		{cli: "1 2", wantUsage: true},
		{cli: "abc", wantUsage: true},
		{cli: "-- -3", wantUsage: true},
		{cli: "0", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRowAnyUsage(t, NewCmdStatus, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantID, got.ID)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

var sentAt = time.Date(2026, 2, 15, 12, 0, 5, 0, time.UTC)

var email = api.EmailStatus{ID: 12, Subject: "[P20260105.0001] Cut-over", Status: "partial", CreatedAt: sentAt,
	Recipients: []api.RecipientStatus{
		{Address: "priya@northwind-it.example", Status: "sent", Attempts: 1, SentAt: &sentAt},
		{Address: "tom@northwind-it.example", Status: "failed", Attempts: 1, ReplyCode: ptr(550), Reply: "5.1.1 no such user"},
		{Address: "dora@contoso.example", Status: "queued", Attempts: 2, ReplyCode: ptr(451), Reply: "4.3.0 try again \x1b[2Jlater"},
	}}

var runStatus = clitest.Runner(NewCmdStatus, 160)

func TestStatusOnATerminal(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/emails/12"), httpmock.JSONResponse(email))
	out, errOut, err := runStatus(t, true, reg, "12 --tz UTC")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	lines := clitest.Lines(out)
	require.Len(t, lines, 5, out)
	assert.Equal(t, `Email 12 "[P20260105.0001] Cut-over": partial, 1 of 3 recipients have it`, lines[0])
	for _, h := range []string{"RECIPIENT", "STATUS", "ATTEMPTS", "CODE", "REPLY", "SENT"} {
		assert.Contains(t, lines[1], h)
	}
	assert.Regexp(t, `^priya@northwind-it.example +sent +1 +2026-02-15 12:00 UTC$`, lines[2])
	assert.Regexp(t, `^tom@northwind-it.example +failed +1 +550 +5.1.1 no such user$`, lines[3])
	assert.Contains(t, lines[4], "4.3.0 try again ^[[2Jlater", "the server's reply cannot drive the terminal")
}

func TestStatusJSONIsTheWholeEmail(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/emails/12"), httpmock.JSONResponse(email))
	out, _, err := runStatus(t, false, reg, "12 -o json")
	require.NoError(t, err)
	assert.Equal(t, email, clitest.DecodeJSON[api.EmailStatus](t, out))
}

func TestStatusErrors(t *testing.T) {
	tests := []clitest.APIError{
		{Name: "not the sender's", Argv: "13 -o json", Path: "/v1/emails/13",
			Resp: httpmock.ErrorResponse(404, api.CodeNotFound, "email not found"), WantExit: cmdutil.ExitNotFound, WantErr: "email not found"},
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		reg.Register(httpmock.REST("GET", tt.Path), tt.Resp)
		return runStatus(t, false, reg, tt.Argv)
	})
}
