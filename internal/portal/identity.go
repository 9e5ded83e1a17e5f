package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

// TokenPrefix starts every token, so leaked tokens are easy to scan for.
const TokenPrefix = "pct_"

var errBadLogin = api.Errorf(api.CodeUnauthenticated, "invalid username or password")

func errLoggedOut() *api.Error {
	return api.Errorf(api.CodeUnauthenticated, "your token is invalid, expired or revoked; log in again with `portalctl auth login`")
}

// HashToken returns the stored form of a token secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// dummyHash keeps a failed login for an unknown user as slow as one for a
// known user, so timing does not reveal which usernames exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("portalctl-no-such-user"), bcrypt.DefaultCost)

// Login checks a username and password and issues a token.
func (s *Service) Login(ctx context.Context, req api.CreateTokenRequest) (api.CreatedToken, error) {
	if req.Code != "" || req.Email != "" {
		if strings.TrimSpace(req.Email) == "" || strings.TrimSpace(req.Code) == "" || req.Username != "" || req.Password != "" {
			return api.CreatedToken{}, api.Invalid("code", "sign in with a username and password, or with an email address and a code")
		}
		return s.loginWithCode(ctx, req)
	}
	if strings.TrimSpace(req.Username) == "" {
		return api.CreatedToken{}, api.Invalid("username", "username is required")
	}
	if req.Password == "" {
		return api.CreatedToken{}, api.Invalid("password", "password is required")
	}
	c, err := s.accounts.ContactByUsername(ctx, req.Username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.PasswordHash == "") {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(req.Password))
		return api.CreatedToken{}, errBadLogin
	}
	if err != nil {
		return api.CreatedToken{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(c.PasswordHash), []byte(req.Password)) != nil || !c.PortalEnabled || !c.Active {
		return api.CreatedToken{}, errBadLogin
	}
	name := req.Name
	if name == "" {
		name = "portalctl"
	}
	return s.issue(ctx, c.ID, name, s.tokenTTL)
}

// CreateToken issues a token for a user without a password (the
// administrator's `portald token create`). ttl 0 means no expiry.
func (s *Service) CreateToken(ctx context.Context, username, name string, ttl time.Duration) (api.CreatedToken, error) {
	c, err := s.accounts.ContactByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return api.CreatedToken{}, api.Errorf(api.CodeNotFound, "no portal user %q", username)
	}
	if err != nil {
		return api.CreatedToken{}, err
	}
	if !c.PortalEnabled || !c.Active {
		return api.CreatedToken{}, api.Errorf(api.CodeForbidden, "portal user %q is disabled", username)
	}
	return s.issue(ctx, c.ID, name, ttl)
}

func (s *Service) issue(ctx context.Context, contactID int64, name string, ttl time.Duration) (api.CreatedToken, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return api.CreatedToken{}, err
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(buf)
	now := s.now().UTC().Truncate(time.Second)
	rec := store.TokenRecord{ContactID: contactID, Name: name, Hash: HashToken(secret), CreatedAt: now}
	if ttl > 0 {
		exp := now.Add(ttl)
		rec.ExpiresAt = &exp
	}
	rec, err := s.accounts.CreateToken(ctx, rec)
	if err != nil {
		return api.CreatedToken{}, err
	}
	return api.CreatedToken{Token: secret, ID: rec.ID, ExpiresAt: rec.ExpiresAt}, nil
}

// Authenticate resolves a bearer token to its user: one hash lookup, no
// password hashing on the request path. A revoked token or a disabled
// contact is refused by the very next request, whichever process changed
// it (identityCache keeps identities only while nothing changed).
func (s *Service) Authenticate(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, errLoggedOut()
	}
	id, err := s.identities.identity(ctx, s.accounts, HashToken(secret), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, errLoggedOut()
	}
	if err != nil {
		return nil, err
	}
	return s.admit(ctx, id.Token, func() (*User, error) { return identityUser(id) })
}

// admit refuses a revoked or expired token, loads its user and notes the
// use (at most once a minute), written off the request path so that a read
// never waits for, or fails with, a write.
func (s *Service) admit(ctx context.Context, t store.TokenRecord, load func() (*User, error)) (*User, error) {
	now := s.now()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) {
		return nil, errLoggedOut()
	}
	u, err := load()
	if err != nil {
		return nil, err
	}
	u.TokenID = t.ID
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		s.touches.note(t.ID, now)
	}
	return u, nil
}

func errDisabled() *api.Error {
	return api.Errorf(api.CodeUnauthenticated, "your portal access is disabled; ask your provider to enable it")
}

// identityUser builds the user from what IdentityByTokenHash read.
func identityUser(id store.Identity) (*User, error) {
	c := id.Contact
	if !c.PortalEnabled || !c.Active {
		return nil, errDisabled()
	}
	perms, ok := systemPermissions[c.SecurityLevel]
	if !ok {
		perms = id.LevelPermissions
	}
	u := newUser(c, perms)
	u.Organization = id.Organization
	u.ScopeOrgIDs = scope(u, id.Below)
	return u, nil
}

func newUser(c store.Contact, perms []string) *User {
	u := &User{Contact: c, Level: c.SecurityLevel, Permissions: make(map[string]bool, len(perms))}
	for _, p := range perms {
		u.Permissions[p] = true
	}
	return u
}

// scope is the user's organization plus, when the level sees
// sub-organizations, its descendants in the tree of links (ordered by id),
// breadth-first with siblings by id: the order /v1/organizations lists.
func scope(u *User, links []store.OrgLink) []int64 {
	ids := []int64{u.Contact.OrganizationID}
	if !u.Can(api.PermSubOrganizations) {
		return ids
	}
	children := map[int64][]int64{}
	for _, l := range links {
		children[l.ParentID] = append(children[l.ParentID], l.ID)
	}
	for i := 0; i < len(ids); i++ {
		for _, child := range children[ids[i]] {
			if !slices.Contains(ids, child) {
				ids = append(ids, child)
			}
		}
	}
	return ids
}

// Tokens lists the user's live tokens.
func (s *Service) Tokens(ctx context.Context, u *User) ([]api.Token, error) {
	recs, err := s.accounts.Tokens(ctx, u.Contact.ID)
	if err != nil {
		return nil, err
	}
	out := []api.Token{}
	now := s.now()
	for _, t := range recs {
		if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
			continue
		}
		out = append(out, api.Token{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
			LastUsedAt: t.LastUsedAt, Current: t.ID == u.TokenID})
	}
	return out, nil
}

// RevokeToken revokes one of the user's tokens; others' tokens are not found.
func (s *Service) RevokeToken(ctx context.Context, u *User, id int64) error {
	err := s.accounts.RevokeToken(ctx, u.Contact.ID, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return api.NotFound("token")
	}
	return err
}

// Me describes the user and the portal.
func (s *Service) Me(ctx context.Context, u *User) (api.Me, error) {
	p, err := s.data.Portal(ctx)
	if err != nil {
		return api.Me{}, err
	}
	billing, err := s.data.IsBillingOrganization(ctx, u.Organization.ID)
	if err != nil {
		return api.Me{}, err
	}
	perms := []string{}
	for _, p := range api.AllPermissions {
		if u.Can(p) {
			perms = append(perms, p)
		}
	}
	c := u.Contact
	var webURL *string
	if s.webURL != "" {
		webURL = &s.webURL
	}
	return api.Me{
		User:                  api.User{ID: c.ID, Username: c.Username, FirstName: c.FirstName, LastName: c.LastName, Name: c.Name(), Email: c.Email},
		Organization:          apiOrg(u.Organization),
		SecurityLevel:         api.SecurityLevel{Name: u.Level, Permissions: perms},
		OrganizationTerm:      p.OrganizationTerm,
		PortalName:            p.Name,
		ProviderName:          p.ProviderName,
		SupportEmail:          p.SupportEmail,
		IsBillingOrganization: billing,
		WebURL:                webURL,
	}, nil
}

func apiOrg(o store.Organization) api.Organization {
	return api.Organization{ID: o.ID, Name: o.Name, ParentID: o.ParentID, TimeZone: o.TimeZone}
}

// Organizations lists the organizations in the user's scope.
func (s *Service) Organizations(ctx context.Context, u *User) ([]api.Organization, error) {
	orgs, err := s.data.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	out := []api.Organization{}
	for _, id := range u.ScopeOrgIDs {
		for _, o := range orgs {
			if o.ID == id {
				out = append(out, apiOrg(o))
			}
		}
	}
	return out, nil
}
