package autotask

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrNotFound is returned by Get and GetChild when the record does not exist.
var ErrNotFound = errors.New("autotask: no such record")

// ErrBudgetExhausted is what a local *RateLimitError unwraps to: portald's
// own hourly request budget is spent, so the call was not sent.
var ErrBudgetExhausted = errors.New("autotask: hourly request budget spent")

// APIError is a non-2xx answer with the {"errors": [...]} body, other than
// those with a type of their own (401, 429, 5xx).
type APIError struct {
	Status   int
	Messages []string
	Method   string
	Path     string // relative to the API base, without query string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("autotask: %s %s: %s", e.Method, e.Path, statusAndMessages(e.Status, e.Messages))
}

// AuthError means Autotask refused the credentials (401), or zone discovery
// knows no zone for the user name (403, 404 or an empty answer).
type AuthError struct {
	Status   int
	Messages []string
}

func (e *AuthError) Error() string {
	return "autotask: credentials rejected (" + statusAndMessages(e.Status, e.Messages) +
		"); check the API user name, secret and integration code"
}

// RateLimitError means a call was refused for the request budget: by
// Autotask (429, after the retries) or, with Local set, by portald's own
// sliding-hour budget before sending anything. RetryAfter is when to try again.
type RateLimitError struct {
	RetryAfter time.Duration
	Local      bool
}

func (e *RateLimitError) Error() string {
	wait := e.RetryAfter.Round(time.Second)
	if e.Local {
		return fmt.Sprintf("autotask: hourly request budget spent; retry after %s", wait)
	}
	if wait <= 0 {
		return "autotask: Autotask's request limit is reached (429); retry later"
	}
	return fmt.Sprintf("autotask: Autotask's request limit is reached (429); retry after %s", wait)
}

// Unwrap lets errors.Is(err, ErrBudgetExhausted) find a local refusal.
func (e *RateLimitError) Unwrap() error {
	if e.Local {
		return ErrBudgetExhausted
	}
	return nil
}

// UnavailableError means Autotask could not answer usefully: connection
// refused or reset, timeout, a 5xx, or a body that is not the expected JSON.
type UnavailableError struct {
	Reason     string
	Err        error
	RetryAfter time.Duration // from a 5xx's Retry-After header; 0 when none
}

func (e *UnavailableError) Error() string {
	if e.Err == nil {
		return "autotask unavailable: " + e.Reason
	}
	return "autotask unavailable: " + e.Reason + ": " + strings.TrimPrefix(oneLine(e.Err.Error()), "autotask: ")
}

func (e *UnavailableError) Unwrap() error { return e.Err }

func statusAndMessages(status int, messages []string) string {
	s := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if len(messages) > 0 {
		s += ": " + oneLine(strings.Join(messages, "; "))
	}
	return s
}

// oneLine keeps error strings on one line even if a server message is not.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
