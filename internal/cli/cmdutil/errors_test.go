package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, ExitOK},
		{"plain error", errors.New("boom"), ExitError},
		{"flag error", FlagErrorf("bad --output"), ExitUsage},
		{"cobra unknown command", errors.New(`unknown command "x" for "portalctl"`), ExitUsage},
		{"cobra unknown flag", errors.New("unknown flag: --nope"), ExitUsage},
		{"not found", api.NotFound("project"), ExitNotFound},
		{"not logged in", ErrNotLoggedIn, ExitNotAuthed},
		{"token rejected", api.Errorf(api.CodeUnauthenticated, "expired"), ExitNotAuthed},
		{"forbidden", api.Errorf(api.CodeForbidden, "no"), ExitForbidden},
		{"not billing org", api.Errorf(api.CodeNotBillingOrganization, "no"), ExitForbidden},
		{"read only", api.Errorf(api.CodeReadOnly, "no"), ExitForbidden},
		{"invalid request", api.Invalid("title", "too long"), ExitRejected},
		{"idempotency conflict", api.Errorf(api.CodeIdempotencyConflict, "x"), ExitRejected},
		{"conflict", api.Errorf(api.CodeConflict, "x"), ExitRejected},
		{"too large", api.Errorf(api.CodeTooLarge, "x"), ExitRejected},
		{"rate limited", api.Errorf(api.CodeRateLimited, "x"), ExitRateLimited},
		{"server error", api.Errorf(api.CodeInternal, "x"), ExitError},
		{"unavailable", api.Errorf(api.CodeUnavailable, "x"), ExitError},
		{"wrapped api error", fmt.Errorf("view: %w", api.NotFound("task")), ExitNotFound},
		{"interrupted", fmt.Errorf("get: %w", context.Canceled), ExitInterrupted},
		{"hinted not found", WithHint(api.NotFound("x"), "check the id"), ExitNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ExitCode(tt.err))
		})
	}
}

func TestHint(t *testing.T) {
	assert.Contains(t, Hint(api.Errorf(api.CodeUnauthenticated, "x")), "portalctl auth login")
	assert.Contains(t, Hint(ErrNotLoggedIn), "PORTALCTL_TOKEN")
	assert.Equal(t, "do this", Hint(WithHint(errors.New("x"), "do this")))
	assert.Equal(t, "", Hint(errors.New("x")))
}
