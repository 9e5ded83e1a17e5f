package complete_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

// Whole command lines through cli.Run on a terminal: what the user sees and
// the exit code.
func TestCompleteCommandLine(t *testing.T) {
	task := api.Task{ID: 101, Number: "T20260105.0002", Title: "Sign off cut-over plan", Status: "complete"}
	tests := []struct {
		name             string
		resp             httpmock.Responder
		wantExit         int
		wantOut, wantErr string
	}{
		{name: "completes", resp: httpmock.JSONResponse(api.CompleteResult{Task: task}),
			wantOut: "✓ Completed task T20260105.0002 \"Sign off cut-over plan\"\n"},
		{name: "already complete succeeds", resp: httpmock.JSONResponse(api.CompleteResult{Task: task, AlreadyComplete: true}),
			wantOut: "Task T20260105.0002 was already complete\n"},
		{name: "not the contact", resp: httpmock.ErrorResponse(403, api.CodeForbidden, "only the task's contact may complete it"),
			wantExit: 5, wantErr: "error: only the task's contact may complete it\n"},
		{name: "no such task", resp: httpmock.ErrorResponse(404, api.CodeNotFound, "task not found"),
			wantExit: 3, wantErr: "error: task not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("POST", "/v1/tasks/T20260105.0002/complete"), tt.resp)
			f, _, out, errOut := clitest.CommandLine(t, reg)
			f.IOStreams.SetStdoutTTY(true)
			code := cli.Run(context.Background(), f, []string{"tasks", "complete", "T20260105.0002"})
			assert.Equal(t, tt.wantExit, code)
			assert.Equal(t, tt.wantOut, out.String())
			assert.Equal(t, tt.wantErr, errOut.String())
		})
	}
}
