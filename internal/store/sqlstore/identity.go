package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
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
		scanOrganization)
}

func scanOrganization(r Row) (store.Organization, error) {
	var o store.Organization
	var parent sql.NullInt64
	err := r.Scan(&o.ID, &o.Name, &parent, &o.TimeZone, &o.NotifyResources)
	o.ParentID = nInt(parent)
	return o, err
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

// ResetPassword stores a new password hash and revokes every live token of
// the contact, in one transaction: after a reset (a suspected compromise,
// say) nothing issued before it works. It returns how many tokens it
// revoked.
func (s *Store) ResetPassword(ctx context.Context, contactID int64, hash string, at time.Time) (int64, error) {
	var revoked int64
	err := s.inTx(ctx, func(tx Tx) error {
		n, err := tx.Exec(ctx, `UPDATE contacts SET password_hash = ? WHERE id = ?`, hash, contactID)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		revoked, err = tx.Exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE contact_id = ? AND revoked_at IS NULL`, ts(at), contactID)
		return err
	})
	return revoked, err
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

// identitySelect reads a token with its contact, the contact's organization,
// the organizations below it and the permissions the data defines for the
// contact's level: one round trip per request instead of one per record.
// The organizations below travel as one "id:parent,…" text (string_agg:
// SQLite ≥ 3.44 and PostgreSQL), which costs far less than a row each, and
// are sorted in Go (an ORDER BY in the aggregate costs SQLite a sorter per
// request). The recursive UNION (not UNION ALL) stops at a cycle in the
// parent links.
const identitySelect = `SELECT t.id, t.contact_id, t.name, t.hash, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, ` +
	identityCols + ` FROM tokens t` + identityJoins + ` WHERE t.hash = ?`

// feedIdentitySelect is identitySelect for a calendar feed token (which
// never expires).
const feedIdentitySelect = `SELECT t.id, t.contact_id, t.name, t.hash, t.created_at, NULL, t.last_used_at, t.revoked_at, ` +
	identityCols + ` FROM calendar_feeds t` + identityJoins + ` WHERE t.hash = ?`

const identityCols = `c.id, c.organization_id, c.first_name, c.last_name, c.email, c.phone, COALESCE(c.username, ''),
	c.security_level, c.portal_enabled, c.active, c.password_hash,
	o.id, o.name, o.parent_id, o.time_zone, o.notify_resources, sl.permissions,
	(WITH RECURSIVE below(id, parent) AS (
		SELECT id, parent_id FROM organizations WHERE parent_id = c.organization_id
		UNION SELECT o2.id, o2.parent_id FROM organizations o2 JOIN below ON o2.parent_id = below.id)
	 SELECT string_agg(id || ':' || parent, ',') FROM below)`

const identityJoins = ` JOIN contacts c ON c.id = t.contact_id
	LEFT JOIN organizations o ON o.id = c.organization_id
	LEFT JOIN security_levels sl ON sl.name = c.security_level`

// IdentityByTokenHash returns the token with that hash and its contact,
// organizations and level permissions (store.Accounts).
func (s *Store) IdentityByTokenHash(ctx context.Context, hash string) (store.Identity, error) {
	return s.identity(ctx, identitySelect, hash)
}

// IdentityByFeedHash is IdentityByTokenHash for a calendar feed token: its
// Token is the feed's record (store.CalendarStore).
func (s *Store) IdentityByFeedHash(ctx context.Context, hash string) (store.Identity, error) {
	return s.identity(ctx, feedIdentitySelect, hash)
}

func (s *Store) identity(ctx context.Context, query, hash string) (store.Identity, error) {
	var id store.Identity
	t, c := &id.Token, &id.Contact
	var created, exp, used, rev nullTime
	var orgID, orgParent sql.NullInt64
	var orgName, orgZone, perms, below sql.NullString
	var orgNotify sql.NullBool
	err := s.r.QueryRow(ctx, query, hash).Scan(
		&t.ID, &t.ContactID, &t.Name, &t.Hash, &created, &exp, &used, &rev,
		&c.ID, &c.OrganizationID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.Username,
		&c.SecurityLevel, &c.PortalEnabled, &c.Active, &c.PasswordHash,
		&orgID, &orgName, &orgParent, &orgZone, &orgNotify, &perms, &below)
	if err != nil {
		return store.Identity{}, err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = created.value(), exp.t, used.t, rev.t
	if orgID.Valid {
		id.Organization = store.Organization{ID: orgID.Int64, Name: orgName.String, ParentID: nInt(orgParent),
			TimeZone: orgZone.String, NotifyResources: orgNotify.Bool}
	}
	if perms.Valid {
		id.LevelPermissions, id.LevelDefined = splitPermissions(perms.String), true
	}
	if id.Below, err = parseOrgLinks(below.String); err != nil {
		return store.Identity{}, err
	}
	return id, nil
}

// parseOrgLinks reads the "id:parent,…" list of identitySelect, ordered by
// id.
func parseOrgLinks(s string) ([]store.OrgLink, error) {
	if s == "" {
		return nil, nil
	}
	links := make([]store.OrgLink, 0, strings.Count(s, ",")+1)
	for pair := range strings.SplitSeq(s, ",") {
		id, parent, _ := strings.Cut(pair, ":")
		l := store.OrgLink{}
		var err1, err2 error
		l.ID, err1 = strconv.ParseInt(id, 10, 64)
		l.ParentID, err2 = strconv.ParseInt(parent, 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("organization tree: bad link %q", pair)
		}
		links = append(links, l)
	}
	slices.SortFunc(links, func(a, b store.OrgLink) int { return cmp.Compare(a.ID, b.ID) })
	return links, nil
}
