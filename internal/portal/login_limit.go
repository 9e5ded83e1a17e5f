package portal

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// CountLoginAttempt records a login attempt in the store. No rule is
// involved: the count is shared state, and the store is where instances
// share it.
func (s *Service) CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error) {
	return s.st.CountLoginAttempt(ctx, key, now, window)
}

// UncountLoginAttempt takes back an attempt counted under key.
func (s *Service) UncountLoginAttempt(ctx context.Context, key string) error {
	return s.st.UncountLoginAttempt(ctx, key)
}
