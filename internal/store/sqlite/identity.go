package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// Portal returns the portal settings (defaults when none were imported).
func (db *DB) Portal(ctx context.Context) (store.PortalSettings, error) {
	var p store.PortalSettings
	err := db.r.QueryRowContext(ctx, `SELECT name, organization_term, support_email, provider_name
		FROM portal_settings WHERE id = 1`).Scan(&p.Name, &p.OrganizationTerm, &p.SupportEmail, &p.ProviderName)
	if err == sql.ErrNoRows {
		return store.PortalSettings{OrganizationTerm: "Organization"}, nil
	}
	return p, err
}

// Organizations returns every organization, ordered by id.
func (db *DB) Organizations(ctx context.Context) ([]store.Organization, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, parent_id, time_zone, notify_resources FROM organizations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Organization
	for rows.Next() {
		var o store.Organization
		var parent sql.NullInt64
		if err := rows.Scan(&o.ID, &o.Name, &parent, &o.TimeZone, &o.NotifyResources); err != nil {
			return nil, err
		}
		o.ParentID = nInt(parent)
		out = append(out, o)
	}
	return out, rows.Err()
}

// SecurityLevelPermissions returns a custom level's permissions.
func (db *DB) SecurityLevelPermissions(ctx context.Context, name string) ([]string, error) {
	var perms string
	err := db.r.QueryRowContext(ctx, `SELECT permissions FROM security_levels WHERE name = ?`, name).Scan(&perms)
	if err != nil {
		return nil, notFound(err)
	}
	if perms == "" {
		return []string{}, nil
	}
	return strings.Split(perms, ","), nil
}

const contactCols = `id, organization_id, first_name, last_name, email, phone, COALESCE(username, ''),
	security_level, portal_enabled, active, password_hash`

func scanContact(row *sql.Row) (store.Contact, error) {
	var c store.Contact
	err := row.Scan(&c.ID, &c.OrganizationID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Username,
		&c.SecurityLevel, &c.PortalEnabled, &c.Active, &c.PasswordHash)
	return c, notFound(err)
}

// ContactByID returns a contact.
func (db *DB) ContactByID(ctx context.Context, id int64) (store.Contact, error) {
	return scanContact(db.r.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE id = ?`, id))
}

// ContactByUsername returns the contact with that username, ignoring case.
func (db *DB) ContactByUsername(ctx context.Context, username string) (store.Contact, error) {
	return scanContact(db.r.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE username = ? COLLATE NOCASE`, username))
}

// SetPassword stores a new password hash.
func (db *DB) SetPassword(ctx context.Context, contactID int64, hash string) error {
	return db.execOne(ctx, `UPDATE contacts SET password_hash = ? WHERE id = ?`, hash, contactID)
}

// Resource returns a provider resource.
func (db *DB) Resource(ctx context.Context, id int64) (store.Resource, error) {
	var r store.Resource
	err := db.r.QueryRowContext(ctx, `SELECT id, first_name, last_name, email, phone, title, active FROM resources WHERE id = ?`, id).
		Scan(&r.ID, &r.FirstName, &r.LastName, &r.Email, &r.Phone, &r.Title, &r.Active)
	return r, notFound(err)
}

// CreateToken stores a token and returns it with its id.
func (db *DB) CreateToken(ctx context.Context, t store.TokenRecord) (store.TokenRecord, error) {
	res, err := db.w.ExecContext(ctx, `INSERT INTO tokens (contact_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.ContactID, t.Name, t.Hash, ts(t.CreatedAt), tsPtr(t.ExpiresAt))
	if isUnique(err) {
		return t, store.ErrConflict
	}
	if err != nil {
		return t, err
	}
	t.ID, err = res.LastInsertId()
	return t, err
}

const tokenCols = `id, contact_id, name, hash, created_at, expires_at, last_used_at, revoked_at`

func scanToken(s interface{ Scan(...any) error }) (store.TokenRecord, error) {
	var t store.TokenRecord
	var created string
	var exp, used, rev sql.NullString
	err := s.Scan(&t.ID, &t.ContactID, &t.Name, &t.Hash, &created, &exp, &used, &rev)
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = parseTS(created), nTime(exp), nTime(used), nTime(rev)
	return t, notFound(err)
}

// TokenByHash looks a token up by the hash of its secret.
func (db *DB) TokenByHash(ctx context.Context, hash string) (store.TokenRecord, error) {
	return scanToken(db.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
}

// Tokens lists a contact's tokens that are not revoked, newest first.
func (db *DB) Tokens(ctx context.Context, contactID int64) ([]store.TokenRecord, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE contact_id = ? AND revoked_at IS NULL ORDER BY id DESC`, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.TokenRecord{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the contact's tokens (ErrNotFound if it has no
// such live token).
func (db *DB) RevokeToken(ctx context.Context, contactID, tokenID int64, at time.Time) error {
	return db.execOne(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND contact_id = ? AND revoked_at IS NULL`,
		ts(at), tokenID, contactID)
}

// TouchToken records when a token was last used.
func (db *DB) TouchToken(ctx context.Context, tokenID int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, ts(at), tokenID)
	return err
}

// execOne runs a write that must change exactly one row.
func (db *DB) execOne(ctx context.Context, query string, args ...any) error {
	res, err := db.w.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// RevokeTokenByID revokes any live token (the administrator's
// `portald token revoke`).
func (db *DB) RevokeTokenByID(ctx context.Context, tokenID int64, at time.Time) error {
	err := db.execOne(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ts(at), tokenID)
	if err == store.ErrNotFound {
		return fmt.Errorf("no live token with id %d", tokenID)
	}
	return err
}
