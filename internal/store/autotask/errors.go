package autotask

import (
	"errors"
	"fmt"
	"strings"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
)

// retryIssueAfter is how long a client should wait when an issue with its
// Idempotency-Key is still being filed by another request.
const retryIssueAfter = 5 * time.Second

// upstream turns an error of the Autotask client into what the HTTP layer
// maps: store.ErrNotFound for a missing record, *store.UnavailableError for
// everything else Autotask did (down, failing, 429, bad credentials). Other
// errors (a caller's callback, the local database, a cancelled context)
// pass through unchanged.
func upstream(err error) error {
	if err == nil {
		return nil
	}
	var (
		limited *at.RateLimitError
		auth    *at.AuthError
		down    *at.UnavailableError
		refused *at.APIError
	)
	switch {
	case errors.Is(err, at.ErrNotFound):
		return store.ErrNotFound
	case errors.As(err, &limited):
		reason := "Autotask's hourly request limit is reached"
		if limited.Local {
			reason = "portald's hourly budget of Autotask requests is spent"
		}
		if limited.RetryAfter > 0 {
			reason += fmt.Sprintf("; retry after %s", limited.RetryAfter.Round(time.Second))
		} else {
			reason += "; retry later"
		}
		return &store.UnavailableError{Reason: reason, RetryAfter: limited.RetryAfter, RateLimited: true, Err: err}
	case errors.As(err, &auth):
		return &store.UnavailableError{Reason: "Autotask refused portald's API credentials: check AUTOTASK_USERNAME, " +
			"AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE (or --autotask-config)", Err: err}
	case errors.As(err, &down) && errors.As(down.Err, &refused):
		// A 5xx: Autotask answers business errors (a missing required
		// field, an unknown user name) with 500 too, so not "down".
		return &store.UnavailableError{Reason: "Autotask answered an error: " + statusText(refused), Err: err}
	case errors.As(err, &down):
		return &store.UnavailableError{Reason: "Autotask is not answering: " + strings.TrimPrefix(down.Error(), "autotask unavailable: "), Err: err}
	case errors.As(err, &refused):
		return &store.UnavailableError{Reason: "Autotask refused portald's request: " + refused.Error(), Err: err}
	}
	return err
}

// statusText is "500 Internal Server Error: message; message".
func statusText(e *at.APIError) string {
	return strings.TrimPrefix(e.Error(), fmt.Sprintf("autotask: %s %s: ", e.Method, e.Path)) + " (" + e.Method + " " + e.Path + ")"
}

// unreadable is a record Autotask sent that does not decode.
func unreadable(entity string, err error) error {
	return &store.UnavailableError{Reason: fmt.Sprintf("Autotask answered a %s record portald cannot read: %v", entity, err), Err: err}
}

// definitelyRefused reports an error after which Autotask certainly did not
// create anything: it answered 4xx (the request was refused as a whole), or
// the call was not sent or not processed (429, portald's own budget, bad
// credentials). A timeout or a 5xx may have created the record.
func definitelyRefused(err error) bool {
	var (
		limited *at.RateLimitError
		auth    *at.AuthError
		refused *at.APIError
	)
	switch {
	case errors.As(err, &limited), errors.As(err, &auth):
		return true
	case errors.As(err, &refused):
		return refused.Status >= 400 && refused.Status < 500
	}
	return false
}

// oneLine keeps a stored error message on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
