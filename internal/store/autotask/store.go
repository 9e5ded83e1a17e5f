// Package autotask is the store.Store that serves a live Autotask PSA
// through its REST API (internal/autotask): companies, contacts, resources,
// contracts, projects, phases, tasks, notes, attachments and billing items
// are read from (and notes, issues and task completions written to)
// Autotask, with every filter pushed into the Autotask query. Portal logins,
// tokens, the outbox, login attempts, custom security levels and
// idempotency keys stay in portald's own database (LocalStore), whose
// contact and organization rows carry the Autotask ids.
//
// Caching: companies, resources and picklists are slow-changing and kept
// for Options.CacheTTL (5 minutes by default), as are the contracts billed
// to a company and the numbers and names of projects and tasks billed-hours
// rows show; contacts for a minute (a disabled or renamed contact shows
// within a minute). Everything else (projects with their status, tasks,
// notes, attachments, billing items) is read live on every request.
package autotask

import (
	"context"
	"errors"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
)

// LocalStore is the part of portald's own database (sqlite or postgres) the
// bridge uses: identity rows keyed by Autotask ids, tokens, the outbox,
// login attempts, custom security levels and idempotency keys.
type LocalStore interface {
	Organizations(ctx context.Context) ([]store.Organization, error)
	SecurityLevelPermissions(ctx context.Context, name string) ([]string, error)
	ContactByID(ctx context.Context, id int64) (store.Contact, error)
	ContactByUsername(ctx context.Context, username string) (store.Contact, error)
	SetPassword(ctx context.Context, contactID int64, hash string) error

	CreateToken(ctx context.Context, t store.TokenRecord) (store.TokenRecord, error)
	TokenByHash(ctx context.Context, hash string) (store.TokenRecord, error)
	Tokens(ctx context.Context, contactID int64) ([]store.TokenRecord, error)
	RevokeToken(ctx context.Context, contactID, tokenID int64, at time.Time) error
	TouchToken(ctx context.Context, tokenID int64, at time.Time) error

	EnqueueEmail(ctx context.Context, e store.Email) (store.Email, error)
	DueEmails(ctx context.Context, now time.Time, limit int) ([]store.Email, error)
	UpdateEmail(ctx context.Context, e store.Email) error
	Emails(ctx context.Context, status string, each func(store.Email) error) error
	Email(ctx context.Context, id int64) (store.Email, error)
	TakeEmailAllowance(ctx context.Context, contactID int64, now time.Time, every time.Duration, burst int) (time.Duration, error)

	CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginWindow, error)
	UncountLoginAttempt(ctx context.Context, key string) error

	IdempotencyKey(ctx context.Context, contactID int64, key string, notBefore time.Time) (store.Idempotency, error)
	ReserveIdempotencyKey(ctx context.Context, k store.Idempotency) error
	SetIdempotencyTask(ctx context.Context, contactID int64, key string, taskID int64) error
	DeleteIdempotencyKey(ctx context.Context, contactID int64, key string) error

	Ping(ctx context.Context) error
	Close() error
}

// UDFNames are the names of the user-defined fields the bridge uses.
type UDFNames struct {
	TeamContacts string // Projects: ",id,id," of the contacts on the team; default "Portal Team Contacts"
	Contact      string // Tasks: the contact an issue or task is for; default "Portal Contact"
	CompletedBy  string // Tasks: the contact who completed it in the portal; default "Portal Completed By"
}

// Options configure the bridge. Client and Local are required.
type Options struct {
	Client *at.Client
	Local  LocalStore // closed by Store.Close
	UDFs   UDFNames
	// Portal are the portal-wide settings (portald's flags): Autotask has
	// no such record.
	Portal store.PortalSettings
	// DefaultTimeZone and NotifyResources apply to companies without a
	// local organization row (which `portald user link` writes).
	DefaultTimeZone string // default "America/New_York"
	NotifyResources bool
	CacheTTL        time.Duration // companies, resources, picklists; default 5 min
	ContactTTL      time.Duration // contacts; default 1 min
	// HistoryMonths is how far back from Now billed hours are read month by
	// month when no start date is given; older items come in one window.
	// Default 24.
	HistoryMonths int
	Now           func() time.Time // default time.Now
}

// Store is the Autotask bridge. It is safe for concurrent use.
type Store struct {
	c     *at.Client
	local LocalStore
	opt   Options

	companies whole[map[int64]atCompany]
	resources *ttlCache[atResource]
	contacts  *ttlCache[atContact]
	billTo    *ttlCache[[]int64] // contract ids billed to a company, by company id
	picks     map[string]*whole[picklists]
	// Numbers, names, company and type of the projects and tasks billed
	// hours rows show.
	projectHeads *ttlCache[atProject]
	taskHeads    *ttlCache[atTask]
}

var _ store.Store = (*Store)(nil)

// Open returns the bridge. It makes no call: the first request reads the
// picklists and companies it needs.
func Open(_ context.Context, o Options) (*Store, error) {
	if o.Client == nil || o.Local == nil {
		return nil, errors.New("autotask store: a client and a local store are required")
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.UDFs.TeamContacts, "Portal Team Contacts")
	def(&o.UDFs.Contact, "Portal Contact")
	def(&o.UDFs.CompletedBy, "Portal Completed By")
	def(&o.DefaultTimeZone, "America/New_York")
	def(&o.Portal.OrganizationTerm, "Organization")
	if o.CacheTTL <= 0 {
		o.CacheTTL = 5 * time.Minute
	}
	if o.ContactTTL <= 0 {
		o.ContactTTL = time.Minute
	}
	if o.HistoryMonths <= 0 {
		o.HistoryMonths = 24
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Store{c: o.Client, local: o.Local, opt: o,
		resources:    newCache[atResource](o.CacheTTL, o.Now),
		contacts:     newCache[atContact](o.ContactTTL, o.Now),
		billTo:       newCache[[]int64](o.CacheTTL, o.Now),
		projectHeads: newCache[atProject](o.CacheTTL, o.Now),
		taskHeads:    newCache[atTask](o.CacheTTL, o.Now),
		picks:        map[string]*whole[picklists]{},
	}
	s.companies = whole[map[int64]atCompany]{ttl: o.CacheTTL, now: o.Now}
	for _, e := range []string{"Projects", "Tasks", "ProjectNotes", "TaskNotes"} {
		s.picks[e] = &whole[picklists]{ttl: o.CacheTTL, now: o.Now}
	}
	return s, nil
}

// picklists returns an entity's picklists (cached).
func (s *Store) picklists(ctx context.Context, entity string) (picklists, error) {
	return s.picks[entity].get(ctx, func(ctx context.Context) (picklists, error) {
		fields, err := s.c.Fields(ctx, entity)
		if err != nil {
			return nil, upstream(err)
		}
		return newPicklists(fields), nil
	})
}

// pickID is the id of a picklist value the bridge cannot work without.
func (s *Store) pickID(ctx context.Context, entity, field, name string) (int64, error) {
	p, err := s.picklists(ctx, entity)
	if err != nil {
		return 0, err
	}
	id, ok := p.id(field, name)
	if !ok {
		return 0, &store.UnavailableError{Reason: "Autotask's " + entity + " " + field +
			" picklist has no value labelled " + name + "; portald maps picklists by label"}
	}
	return id, nil
}

// Portal returns the portal settings portald was started with.
func (s *Store) Portal(context.Context) (store.PortalSettings, error) { return s.opt.Portal, nil }

// SecurityLevelPermissions reads a custom level from the local database.
func (s *Store) SecurityLevelPermissions(ctx context.Context, name string) ([]string, error) {
	return s.local.SecurityLevelPermissions(ctx, name)
}

// SetPassword stores a password hash locally (Autotask never sees it).
func (s *Store) SetPassword(ctx context.Context, contactID int64, hash string) error {
	return s.local.SetPassword(ctx, contactID, hash)
}
