// Package cmdutil holds what every command shares: usage errors, the
// mapping from errors to exit codes, enum flags, argument helpers and the
// auth-check annotation.
package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

// Exit codes (portalctl help exit-codes).
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitNotFound    = 3
	ExitNotAuthed   = 4
	ExitForbidden   = 5
	ExitRejected    = 6
	ExitRateLimited = 7
	// ExitOpenTasks is `tasks open --exit-status` finding open tasks: a
	// result for shell `if`s and CI gates, not a failure.
	ExitOpenTasks   = 8
	ExitInterrupted = 130
)

// FlagError is a usage error: a bad flag, a missing argument, a bad value.
// The message should name the flag and the accepted values.
type FlagError struct{ err error }

func (e *FlagError) Error() string { return e.err.Error() }
func (e *FlagError) Unwrap() error { return e.err }

// FlagErrorf builds a usage error (exit code 2).
func FlagErrorf(format string, args ...any) error {
	return &FlagError{err: fmt.Errorf(format, args...)}
}

// FlagErrorWrap marks err as a usage error.
func FlagErrorWrap(err error) error { return &FlagError{err: err} }

// HintError carries a second line telling the user what to do next.
type HintError struct {
	Err  error
	Hint string
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

// WithHint attaches a hint line to err.
func WithHint(err error, hint string) error { return &HintError{Err: err, Hint: hint} }

// MessageError shows Message in place of Err's own text while keeping Err
// (and so its exit code) for errors.Is and errors.As.
type MessageError struct {
	Err     error
	Message string
}

func (e *MessageError) Error() string { return e.Message }
func (e *MessageError) Unwrap() error { return e.Err }

// ErrNotLoggedIn is returned when no token is available (exit code 4).
var ErrNotLoggedIn = errors.New("not logged in")

// ErrSilent means the command already told the user; exit 1, print nothing.
var ErrSilent = errors.New("ErrSilent")

// StatusExit ends a run with Code and prints nothing: an answer given by
// the exit code alone (--exit-status). It is ErrSilent to errors.Is.
type StatusExit struct{ Code int }

func (e *StatusExit) Error() string        { return fmt.Sprintf("exit status %d", e.Code) }
func (e *StatusExit) Is(target error) bool { return target == ErrSilent }

// ExitCode maps an error to the documented exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var flagErr *FlagError
	var outErr *output.UsageError
	var apiErr *api.Error
	var status *StatusExit
	switch {
	case errors.As(err, &status):
		return status.Code
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &flagErr), errors.As(err, &outErr):
		return ExitUsage
	case errors.Is(err, ErrNotLoggedIn):
		return ExitNotAuthed
	case errors.As(err, &apiErr):
		return exitForCode(apiErr.Code)
	case isCobraUsageError(err):
		return ExitUsage
	}
	return ExitError
}

func exitForCode(code string) int {
	switch code {
	case api.CodeNotFound:
		return ExitNotFound
	case api.CodeUnauthenticated:
		return ExitNotAuthed
	case api.CodeForbidden, api.CodeNotBillingOrganization, api.CodeReadOnly:
		return ExitForbidden
	case api.CodeInvalidRequest, api.CodeInvalidCursor, api.CodeIdempotencyConflict,
		api.CodeConflict, api.CodeTooLarge:
		return ExitRejected
	case api.CodeRateLimited:
		return ExitRateLimited
	}
	return ExitError
}

// isCobraUsageError recognises the errors cobra itself returns for unknown
// commands and flags, which carry no type of their own.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand flag",
		"flag needs an argument", "accepts ", "requires at least", "requires at most",
		"invalid argument"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

// Hint returns the line to print under an error, if one helps.
func Hint(err error) string {
	var h *HintError
	if errors.As(err, &h) {
		return h.Hint
	}
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case api.CodeUnauthenticated:
			return "run `portalctl auth login` to sign in again"
		case api.CodeRateLimited:
			return "the portal is limiting requests; wait the time it names and try again"
		case api.CodeUnavailable, api.CodeUpstreamUnavailable:
			return "the portal is temporarily unavailable; try again later"
		}
	}
	if errors.Is(err, ErrNotLoggedIn) {
		return "run `portalctl auth login`, or set PORTALCTL_TOKEN"
	}
	return ""
}
