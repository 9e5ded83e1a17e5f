package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// Portal returns the portal settings (defaults when none were imported).
func (s *Store) Portal(ctx context.Context) (store.PortalSettings, error) {
	var p store.PortalSettings
	err := s.r.QueryRow(ctx, `SELECT name, organization_term, support_email, provider_name
		FROM portal_settings WHERE id = 1`).Scan(&p.Name, &p.OrganizationTerm, &p.SupportEmail, &p.ProviderName)
	if err == store.ErrNotFound {
		return store.PortalSettings{OrganizationTerm: "Organization"}, nil
	}
	return p, err
}

// Organizations returns every organization, ordered by id.
func (s *Store) Organizations(ctx context.Context) ([]store.Organization, error) {
	return list(ctx, s.r, `SELECT id, name, parent_id, time_zone, notify_resources FROM organizations ORDER BY id`, nil,
		func(r Row) (store.Organization, error) {
			var o store.Organization
			var parent sql.NullInt64
			err := r.Scan(&o.ID, &o.Name, &parent, &o.TimeZone, &o.NotifyResources)
			o.ParentID = nInt(parent)
			return o, err
		})
}

// SecurityLevelPermissions returns a custom level's permissions.
func (s *Store) SecurityLevelPermissions(ctx context.Context, name string) ([]string, error) {
	var perms string
	if err := s.r.QueryRow(ctx, `SELECT permissions FROM security_levels WHERE name = ?`, name).Scan(&perms); err != nil {
		return nil, err
	}
	return splitPermissions(perms), nil
}

// splitPermissions reads the comma-separated permissions column.
func splitPermissions(perms string) []string {
	if perms == "" {
		return []string{}
	}
	return strings.Split(perms, ",")
}

const contactCols = `id, organization_id, first_name, last_name, email, phone, COALESCE(username, ''),
	security_level, portal_enabled, active, password_hash`

func scanContact(row Row) (store.Contact, error) {
	var c store.Contact
	err := row.Scan(&c.ID, &c.OrganizationID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Username,
		&c.SecurityLevel, &c.PortalEnabled, &c.Active, &c.PasswordHash)
	return c, err
}

// ContactByID returns a contact.
func (s *Store) ContactByID(ctx context.Context, id int64) (store.Contact, error) {
	return scanContact(s.r.QueryRow(ctx, `SELECT `+contactCols+` FROM contacts WHERE id = ?`, id))
}

// ContactByUsername returns the contact with that username, ignoring case.
func (s *Store) ContactByUsername(ctx context.Context, username string) (store.Contact, error) {
	return scanContact(s.r.QueryRow(ctx, `SELECT `+contactCols+` FROM contacts WHERE `+s.d.UsernameIs, username))
}

// SetPassword stores a new password hash.
func (s *Store) SetPassword(ctx context.Context, contactID int64, hash string) error {
	return s.execOne(ctx, `UPDATE contacts SET password_hash = ? WHERE id = ?`, hash, contactID)
}

// Resource returns a provider resource.
func (s *Store) Resource(ctx context.Context, id int64) (store.Resource, error) {
	var r store.Resource
	err := s.r.QueryRow(ctx, `SELECT id, first_name, last_name, email, phone, title, active FROM resources WHERE id = ?`, id).
		Scan(&r.ID, &r.FirstName, &r.LastName, &r.Email, &r.Phone, &r.Title, &r.Active)
	return r, err
}

// CreateToken stores a token and returns it with its id.
func (s *Store) CreateToken(ctx context.Context, t store.TokenRecord) (store.TokenRecord, error) {
	id, err := insertID(ctx, s.w, `INSERT INTO tokens (contact_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.ContactID, t.Name, t.Hash, ts(t.CreatedAt), tsPtr(t.ExpiresAt))
	if s.d.IsUnique(err) {
		return t, store.ErrConflict
	}
	t.ID = id
	return t, err
}

const tokenCols = `id, contact_id, name, hash, created_at, expires_at, last_used_at, revoked_at`

func scanToken(r Row) (store.TokenRecord, error) {
	var t store.TokenRecord
	var created, exp, used, rev nullTime
	err := r.Scan(&t.ID, &t.ContactID, &t.Name, &t.Hash, &created, &exp, &used, &rev)
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = created.value(), exp.t, used.t, rev.t
	return t, err
}

// TokenByHash looks a token up by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (store.TokenRecord, error) {
	return scanToken(s.r.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
}

// Tokens lists a contact's tokens that are not revoked, newest first.
func (s *Store) Tokens(ctx context.Context, contactID int64) ([]store.TokenRecord, error) {
	return list(ctx, s.r, `SELECT `+tokenCols+` FROM tokens WHERE contact_id = ? AND revoked_at IS NULL ORDER BY id DESC`,
		[]any{contactID}, scanToken)
}

// RevokeToken revokes one of the contact's tokens (ErrNotFound if it has no
// such live token).
func (s *Store) RevokeToken(ctx context.Context, contactID, tokenID int64, at time.Time) error {
	return s.execOne(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND contact_id = ? AND revoked_at IS NULL`,
		ts(at), tokenID, contactID)
}

// TouchToken records when a token was last used.
func (s *Store) TouchToken(ctx context.Context, tokenID int64, at time.Time) error {
	_, err := s.w.Exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, ts(at), tokenID)
	return err
}

// RevokeTokenByID revokes any live token (the administrator's
// `portald token revoke`).
func (s *Store) RevokeTokenByID(ctx context.Context, tokenID int64, at time.Time) error {
	err := s.execOne(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ts(at), tokenID)
	if err == store.ErrNotFound {
		return fmt.Errorf("no live token with id %d", tokenID)
	}
	return err
}
