package sqlstore

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// PortalUsersByEmail returns the contacts with a portal login and this
// email, ignoring case.
func (s *Store) PortalUsersByEmail(ctx context.Context, email string) ([]store.Contact, error) {
	return list(ctx, s.r, `SELECT `+contactCols+` FROM contacts WHERE lower(email) = lower(?) AND username IS NOT NULL
		ORDER BY id`, []any{email}, scanContact)
}

// SetLoginCode keeps one code per contact.
func (s *Store) SetLoginCode(ctx context.Context, contactID int64, hash string, expires time.Time) error {
	_, err := s.w.Exec(ctx, `INSERT INTO login_codes (contact_id, code_hash, expires_at, failures) VALUES (?, ?, ?, 0)
		ON CONFLICT (contact_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0`,
		contactID, hash, expires.UnixMilli())
	return err
}

// UseLoginCode deletes the code when it matches (one statement: two
// requests with the same code cannot both have it), else counts a failure
// and voids the code after store.MaxLoginCodeFailures.
func (s *Store) UseLoginCode(ctx context.Context, contactID int64, hash string, now time.Time) (bool, error) {
	n, err := s.w.Exec(ctx, `DELETE FROM login_codes WHERE contact_id = ? AND code_hash = ? AND expires_at > ? AND failures < ?`,
		contactID, hash, now.UnixMilli(), store.MaxLoginCodeFailures)
	if err != nil || n == 1 {
		return n == 1, err
	}
	_, err = s.w.Exec(ctx, `UPDATE login_codes SET failures = failures + 1 WHERE contact_id = ?`, contactID)
	return false, err
}
