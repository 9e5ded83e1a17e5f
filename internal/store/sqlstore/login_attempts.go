package sqlstore

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// CountLoginAttempt counts one attempt with a single upsert, atomic in both
// databases (SQLite has one writer; PostgreSQL locks the key's row for the
// statement), so instances racing on one key each get their own count. A
// window that has ended restarts at this attempt. Times are Unix
// milliseconds: plain integers compare alike in both dialects.
func (s *Store) CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error) {
	ended := now.Add(-window).UnixMilli() // windows that started at or before this are over
	// Pruning on every attempt keeps the table as small as the set of keys
	// seen within one window; the index makes it cheap when nothing is due.
	if _, err := s.w.Exec(ctx, `DELETE FROM login_attempts WHERE window_start <= ?`, ended); err != nil {
		return store.LoginWindow{}, err
	}
	var start int64
	var attempts int
	err := s.w.QueryRow(ctx, `INSERT INTO login_attempts (limit_key, window_start, attempts) VALUES (?, ?, 1)
		ON CONFLICT (limit_key) DO UPDATE SET
			window_start = CASE WHEN login_attempts.window_start <= ? THEN excluded.window_start ELSE login_attempts.window_start END,
			attempts = CASE WHEN login_attempts.window_start <= ? THEN 1 ELSE login_attempts.attempts + 1 END
		RETURNING window_start, attempts`, key, now.UnixMilli(), ended, ended).Scan(&start, &attempts)
	if err != nil {
		return store.LoginWindow{}, err
	}
	return store.LoginWindow{Start: time.UnixMilli(start).UTC(), Attempts: attempts}, nil
}
