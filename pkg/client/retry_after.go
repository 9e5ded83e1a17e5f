package client

import (
	"errors"
	"net/http"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// RetryAfter is how long the portal asked to wait before trying again
// (429, 503): its Retry-After, carried in the error's details as
// retry_after_seconds. ok is false when it named no wait.
func RetryAfter(err error) (wait time.Duration, ok bool) {
	var e *api.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	switch v := e.Details["retry_after_seconds"].(type) {
	case float64: // decoded from JSON
		return time.Duration(v * float64(time.Second)), v > 0
	case int:
		return time.Duration(v) * time.Second, v > 0
	}
	return 0, false
}

// withRetryAfter copies a Retry-After header into an error's details when
// the body did not say (an answer from a proxy), so that RetryAfter sees it.
func withRetryAfter(e *api.Error, header http.Header) *api.Error {
	if _, ok := e.Details["retry_after_seconds"]; ok {
		return e
	}
	if d := retryAfter(header.Get("Retry-After"), time.Now()); d > 0 {
		return e.With("retry_after_seconds", int((d+time.Second-1)/time.Second))
	}
	return e
}
