// Package autotask serves an Autotask PSA from a synced copy: the Autotask
// data portald serves (companies, contacts, resources, contracts, projects,
// phases, tasks, notes, attachment metadata, billed items and Client Portal
// users) lives in portald's own SQL database, in the same tables as an
// imported portal, and a Syncer keeps it current with incremental pulls
// (sync.go). Every read goes to that database, so the portal's rules are
// evaluated in one place and a read never calls Autotask: the cost in
// Autotask calls does not grow with the number of portal users.
//
// Writes (notes, issues, task completion) go to Autotask first and then
// into the copy, so a user reads their own write at once; attachment
// content is fetched from Autotask when downloaded. docs/autotask.md says
// why, and what Autotask is still called for.
package autotask

import (
	"context"
	"errors"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/pkg/api"
)

// Local is portald's own database (*sqlite.DB or *postgres.DB): the copy,
// logins, tokens, the outbox and the sync's state.
type Local interface {
	store.Store
	store.Importer
	store.IdentityStore
	store.IdentityGenerations
	store.LoginCodes
	store.Charges
	store.BillingFeed // the copy's billing items keep the feed an exactly-once export reads
	ReserveIdempotencyKey(ctx context.Context, k store.Idempotency) error
	SetIdempotencyTask(ctx context.Context, contactID int64, key string, taskID int64) error
	DeleteIdempotencyKey(ctx context.Context, contactID int64, key string) error

	Mirror(ctx context.Context, fn func(m *sqlstore.MirrorTx) error) error
	SyncState(ctx context.Context) (map[string]string, error)
	SetSyncState(ctx context.Context, key, value string) error
	CompareAndSetSyncState(ctx context.Context, key, old, value string) (bool, error)
	IDs(ctx context.Context, table, cond string, args []any, each func(id int64) error) error
	Existing(ctx context.Context, table string, ids []int64) (map[int64]bool, error)
	TaskByID(ctx context.Context, id int64) (store.ScheduleTask, error)
}

// UDFNames are the names of the user-defined fields portald uses.
type UDFNames struct {
	TeamContacts string // Projects: ",id,id," of the contacts on the team; default "Portal Team Contacts"
	Contact      string // Tasks: the contact an issue or task is for; default "Portal Contact"
	CompletedBy  string // Tasks: the contact who completed it in the portal; default "Portal Completed By"
}

// Options configure the store and its sync. Client and Local are required.
type Options struct {
	Client *at.Client
	Local  Local // closed by Store.Close
	UDFs   UDFNames
	// NoteType is the label of the note type portal notes are filed as;
	// default "Client Portal Note" (note types are per tenant).
	NoteType string
	// SecurityLevels map ClientPortalUsers securityLevel values to portal
	// levels ("basic", "advanced", "manager" or a custom level defined in
	// the database). Autotask publishes no list of the values: unmapped
	// ones get no permissions (and are reported).
	SecurityLevels map[int64]string
	// DefaultTimeZone applies to companies the copy adds (a company's
	// time zone is portald's, set with portald user link).
	DefaultTimeZone string // default "America/New_York"
	Sync            SyncOptions
	Now             func() time.Time // default time.Now
}

// Store is the copy as a store.Store: reads are the local database's.
type Store struct {
	Local
	c     *at.Client
	opt   Options
	y     *Syncer
	picks picks
	fresh freshness
}

var _ store.Store = (*Store)(nil)

// Open returns the store over the copy. It makes no call; the Syncer
// (Sync) fills the copy and keeps it current.
func Open(_ context.Context, o Options) (*Store, error) {
	if o.Client == nil || o.Local == nil {
		return nil, errors.New("autotask store: a client and a local database are required")
	}
	defaults(&o)
	s := &Store{Local: o.Local, c: o.Client, opt: o}
	s.y = newSyncer(s)
	return s, nil
}

func defaults(o *Options) {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.UDFs.TeamContacts, "Portal Team Contacts")
	def(&o.UDFs.Contact, "Portal Contact")
	def(&o.UDFs.CompletedBy, "Portal Completed By")
	def(&o.NoteType, "Client Portal Note")
	def(&o.DefaultTimeZone, "America/New_York")
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Sync is the store's syncer.
func (s *Store) Sync() *Syncer { return s.y }

// Events: the Autotask REST API has no project calendar.
func (s *Store) Events(context.Context, int64, *time.Time, *time.Time, func(api.Event) error) error {
	return store.ErrUnsupported
}
