package sqlstore

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// CountLoginAttempt counts one attempt with a single upsert, atomic in both
// databases (SQLite has one writer; PostgreSQL locks the key's row for the
// statement), so instances racing on one key each get their own count. A
// window that has ended restarts at this attempt. Each row keeps when its
// window ends (keys have windows of different lengths). Times are Unix
// milliseconds: plain integers compare alike in both dialects.
func (s *Store) CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error) {
	at := now.UnixMilli()
	// Pruning on every attempt keeps the table as small as the set of keys
	// seen within their windows; the index makes it cheap when nothing is due.
	if _, err := s.w.Exec(ctx, `DELETE FROM login_attempts WHERE window_end <= ?`, at); err != nil {
		return store.LoginWindow{}, err
	}
	var start int64
	var attempts int
	err := s.w.QueryRow(ctx, `INSERT INTO login_attempts (limit_key, window_start, window_end, attempts) VALUES (?, ?, ?, 1)
		ON CONFLICT (limit_key) DO UPDATE SET
			window_start = CASE WHEN login_attempts.window_end <= ? THEN excluded.window_start ELSE login_attempts.window_start END,
			window_end = CASE WHEN login_attempts.window_end <= ? THEN excluded.window_end ELSE login_attempts.window_end END,
			attempts = CASE WHEN login_attempts.window_end <= ? THEN 1 ELSE login_attempts.attempts + 1 END
		RETURNING window_start, attempts`, key, at, now.Add(window).UnixMilli(), at, at, at).Scan(&start, &attempts)
	if err != nil {
		return store.LoginWindow{}, err
	}
	return store.LoginWindow{Start: time.UnixMilli(start).UTC(), Attempts: attempts}, nil
}

// UncountLoginAttempt takes back one attempt of key's current window.
func (s *Store) UncountLoginAttempt(ctx context.Context, key string) error {
	_, err := s.w.Exec(ctx, `UPDATE login_attempts SET attempts = attempts - 1 WHERE limit_key = ? AND attempts > 0`, key)
	return err
}
