package autotask

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// Tokens, the outbox and login attempts are portald's own: they live in the
// local database only.

func (s *Store) CreateToken(ctx context.Context, t store.TokenRecord) (store.TokenRecord, error) {
	return s.local.CreateToken(ctx, t)
}

func (s *Store) TokenByHash(ctx context.Context, hash string) (store.TokenRecord, error) {
	return s.local.TokenByHash(ctx, hash)
}

func (s *Store) Tokens(ctx context.Context, contactID int64) ([]store.TokenRecord, error) {
	return s.local.Tokens(ctx, contactID)
}

func (s *Store) RevokeToken(ctx context.Context, contactID, tokenID int64, at time.Time) error {
	return s.local.RevokeToken(ctx, contactID, tokenID, at)
}

func (s *Store) TouchToken(ctx context.Context, tokenID int64, at time.Time) error {
	return s.local.TouchToken(ctx, tokenID, at)
}

func (s *Store) EnqueueEmail(ctx context.Context, e store.Email) (store.Email, error) {
	return s.local.EnqueueEmail(ctx, e)
}

func (s *Store) DueEmails(ctx context.Context, now time.Time, limit int) ([]store.Email, error) {
	return s.local.DueEmails(ctx, now, limit)
}

func (s *Store) UpdateEmail(ctx context.Context, e store.Email) error {
	return s.local.UpdateEmail(ctx, e)
}

func (s *Store) Emails(ctx context.Context, status string, each func(store.Email) error) error {
	return s.local.Emails(ctx, status, each)
}

func (s *Store) Email(ctx context.Context, id int64) (store.Email, error) {
	return s.local.Email(ctx, id)
}

func (s *Store) TakeEmailAllowance(ctx context.Context, contactID int64, now time.Time, every time.Duration, burst int) (time.Duration, error) {
	return s.local.TakeEmailAllowance(ctx, contactID, now, every, burst)
}

func (s *Store) CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error) {
	return s.local.CountLoginAttempt(ctx, key, now, window)
}

func (s *Store) UncountLoginAttempt(ctx context.Context, key string) error {
	return s.local.UncountLoginAttempt(ctx, key)
}

// Ping checks the local database only: a readiness probe every few seconds
// would spend Autotask's hourly request budget, and an Autotask outage is
// reported on each request that needs it (503 upstream_unavailable).
func (s *Store) Ping(ctx context.Context) error { return s.local.Ping(ctx) }

// Close closes the local database.
func (s *Store) Close() error { return s.local.Close() }
