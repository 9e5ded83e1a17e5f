package httpapi

import (
	"errors"
	"math"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// storeError turns the errors a store may return about its upstream (the
// Autotask bridge) or its own database (busy, full) into API errors: a store
// that cannot answer is a 503 (or a 429 when its request budget is spent),
// never a 500 and never an empty list.
func storeError(err error) (*api.Error, bool) {
	var u *store.UnavailableError
	var b *store.BusyError
	switch {
	case errors.As(err, &b):
		// The portal's own database: 503 unavailable, which portalctl retries.
		return api.Errorf(api.CodeUnavailable, "%s", b.Reason).With("retry_after_seconds", max(1, int(math.Ceil(b.RetryAfter.Seconds())))), true
	case errors.As(err, &u):
		code := api.CodeUpstreamUnavailable
		if u.RateLimited {
			code = api.CodeRateLimited
		}
		e := api.Errorf(code, "%s", u.Reason)
		if u.RetryAfter > 0 {
			e = e.With("retry_after_seconds", int(math.Ceil(u.RetryAfter.Seconds())))
		}
		return e, true
	case errors.Is(err, store.ErrUnsupported):
		return api.Errorf(api.CodeNotSupported, "this portal's data source (Autotask) does not provide this; ask your provider"), true
	}
	return nil, false
}
