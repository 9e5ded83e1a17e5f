// Package store defines the storage contract of portald: the records it
// keeps, the already-scoped queries the rules layer (internal/portal)
// builds, and the interfaces the stores implement, split by who owns the
// data (PortalData and Source for the portal's data, Accounts for
// portald's own). internal/store/storetest checks every implementation.
//
// Stores only fetch and write. They never decide who may see what: every
// visibility predicate arrives as an explicit query field set by
// internal/portal, and the store pushes it into SQL.
package store

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// ErrNotFound is returned by single-record lookups when nothing matches.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write breaks a uniqueness rule.
var ErrConflict = errors.New("conflict")

// PortalSettings are the portal-wide settings of the import format.
type PortalSettings struct {
	Name             string
	OrganizationTerm string
	SupportEmail     string
	ProviderName     string
}

// Organization is a customer organization with its settings.
type Organization struct {
	ID              int64
	Name            string
	ParentID        *int64
	TimeZone        string
	NotifyResources bool
}

// Contact is a client contact, i.e. a (possible) portal user.
type Contact struct {
	ID             int64
	OrganizationID int64
	FirstName      string
	LastName       string
	Email          string
	Phone          string
	Username       string // "" when the contact has no portal login
	SecurityLevel  string
	PortalEnabled  bool
	Active         bool
	PasswordHash   string // bcrypt; "" when no password is set
}

// Name is "First Last".
func (c Contact) Name() string { return c.FirstName + " " + c.LastName }

// Resource is a provider staff member.
type Resource struct {
	ID        int64
	FirstName string
	LastName  string
	Email     string
	Phone     string
	Title     string
	Active    bool
}

// TokenRecord is a stored personal access token; only its SHA-256 hash is kept.
type TokenRecord struct {
	ID         int64
	ContactID  int64
	Name       string
	Hash       string // hex SHA-256 of the secret
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Key is a keyset position: the sort value of the last row seen (empty when
// the order is by id alone) and its id. Rows strictly after it are returned.
type Key struct {
	Value string
	ID    int64
}

// Page bounds a list: rows after After (nil = from the start), at most Limit
// rows (0 = all rows, for streaming).
type Page struct {
	After *Key
	Limit int
}

// ProjectScope is a visibility predicate on projects decided by the rules:
// P.type = 'client' AND P.organization_id IN OrgIDs AND (MemberContactID = 0
// OR the contact MemberContactID is on P's team).
type ProjectScope struct {
	OrgIDs          []int64
	MemberContactID int64
}

// ProjectQuery selects projects in a scope. Projects are ordered by id.
type ProjectQuery struct {
	Scope            ProjectScope
	ID               int64  // only this id, when > 0
	Number           string // only this number, when set
	IncludeCompleted bool   // else status <> 'complete'
	Search           string // case-insensitive substring of number or name
	Page             Page
}

// TaskQuery selects tasks. Tasks are ordered by id. Every task returned has
// visible_in_portal = true: hidden tasks are never visible to portal users,
// whatever the query.
type TaskQuery struct {
	// Projects: the task's project must satisfy this scope (My Projects
	// access), unless BilledToOrgID is set, in which case the task's project
	// must be an end-client project of that billing organization and the
	// task must be billed to it (see EndClientQuery).
	Projects      ProjectScope
	BilledToOrgID int64

	ID        int64
	Number    string
	ProjectID int64 // only tasks of this project, when > 0

	// OpenForContactID, when > 0, keeps only My Open Tasks of that contact:
	// project status <> 'complete', task status <> 'complete', and
	// ((contact_id = OpenForContactID AND client_completable) OR status = 'waiting_customer').
	OpenForContactID int64

	IssuesOnly bool // only is_issue tasks
	Page       Page
}

// EndClientQuery selects the end-client projects of billing organization
// BillingOrgID: client projects P with P.organization_id <> BillingOrgID
// whose contract, or the contract of at least one of whose billing items,
// has billing_organization_id = BillingOrgID. Ordered by id.
type EndClientQuery struct {
	BillingOrgID     int64
	ClientID         int64 // only projects of this end client, when > 0
	ID               int64 // only this project, when > 0
	Number           string
	IncludeCompleted bool
	Page             Page
}

// EndClientTicketQuery selects the end-client tickets of billing
// organization BillingOrgID: tickets T with T.organization_id <>
// BillingOrgID whose contract, or the contract of at least one of whose
// billing items, has billing_organization_id = BillingOrgID. Ordered by id.
type EndClientTicketQuery struct {
	BillingOrgID     int64
	ClientID         int64 // only tickets of this end client, when > 0
	ID               int64 // only this ticket, when > 0
	Number           string
	IncludeCompleted bool // else status <> 'complete'
	Page             Page
}

// Work kinds a billing item bills (BilledHoursQuery.Kind).
const (
	WorkProject = "project"
	WorkTicket  = "ticket"
)

// BilledHoursQuery selects billing items whose contract has
// billing_organization_id = BillingOrgID and whose project is an end-client
// project of it, ordered by (worked_date, id). Page.After.Value is a worked
// date (YYYY-MM-DD).
type BilledHoursQuery struct {
	BillingOrgID int64
	ClientID     int64    // when > 0
	ProjectID    int64    // when > 0
	Kind         string   // WorkProject or WorkTicket items only, when set
	From, To     api.Date // inclusive bounds on worked_date, when set
	// AfterID, when > 0, keeps only items with id > AfterID (deprecated:
	// ids are not posting order; incremental exports use Changes).
	AfterID int64
	// Changes, when set, asks BilledHoursFeed for the changes after a
	// position instead of the current state.
	Changes *FeedRange
	Page    Page
}

// FeedRange is the part of the billing feed a run reads: the changes in
// (Since, Until]. Until 0 is the newest position the read sees; a later
// page of the same run pins it to the first page's.
type FeedRange struct {
	Since, Until int64
}

// FeedPosition is a point in a store's billing feed: the feed's identity
// (random, made with the database) and a position in it.
type FeedPosition struct {
	Feed     string
	Position int64
}

// NewIssue is an issue to create (a task with is_issue, no phase, status new).
type NewIssue struct {
	ProjectID   int64
	ContactID   int64
	Title       string
	Description string
	Priority    string
	CreatedAt   time.Time
}

// IssueDeduper is implemented by a Source that can file an issue only if
// its project has no open issue of the same title in one atomic step,
// across every process sharing the store (sqlite, postgres). For another
// Source the rules layer serializes filings within its process.
type IssueDeduper interface {
	// CreateIssueIfAbsent returns the project's oldest open issue visible in
	// the portal whose title equals in.Title ignoring case and surrounding
	// blanks (created false), or creates one as CreateIssue does (created
	// true). The key, when not nil, is recorded for the issue returned;
	// ErrConflict when it already exists.
	CreateIssueIfAbsent(ctx context.Context, in NewIssue, key *Idempotency) (t api.Task, created bool, err error)
}

// IdempotencyTTL is how long an Idempotency-Key replays its first result;
// CreateIssue replaces a key older than this.
const IdempotencyTTL = 24 * time.Hour

// Idempotency is a stored Idempotency-Key and the issue it created.
type Idempotency struct {
	ContactID   int64
	Key         string
	RequestHash string // hex SHA-256 of the canonical request
	TaskID      int64
	CreatedAt   time.Time
}

// Email is an outbox row. Each recipient gets a copy of their own, and
// Deliveries records each copy's state, so that a retry goes only to the
// recipients who have not got it.
type Email struct {
	ID            int64
	Kind          string // team_email or notification
	SenderID      int64  // the contact whose request sent it (0: not recorded)
	To            []string
	Deliveries    []Delivery // one per To address, in order; EnqueueEmail fills it when empty
	ReplyTo       string
	Subject       string
	Body          string
	Status        string // queued, sent, partial or failed
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        *time.Time
}

// Outbox email statuses. An email is queued while a copy is still to be
// sent; then sent (every recipient has it), partial (some have it, the
// others' copies failed for good) or failed (nobody has it).
const (
	EmailQueued  = "queued"
	EmailSent    = "sent"
	EmailPartial = "partial"
	EmailFailed  = "failed"
)

// Delivery is one recipient's copy of an outbox email. Its Status is
// queued, sent or failed (the server refused it for good with a 5xx, the
// address is not valid, or the attempts ran out).
type Delivery struct {
	Address   string     `json:"address"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts,omitempty"`
	ReplyCode int        `json:"reply_code,omitempty"` // the mail server's last reply to this copy (0: none)
	Reply     string     `json:"reply,omitempty"`      // that reply's text, or why the copy could not be sent
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// AttachmentContent is an attachment's metadata and a reader of its bytes.
type AttachmentContent struct {
	api.Attachment
	// Content reads the bytes from the store as the caller reads them, a
	// bounded piece at a time (a large attachment is never held whole),
	// with the context AttachmentContent was given. The caller closes it.
	// A read fails when the attachment changed since the metadata was read.
	Content io.ReadCloser
}

// The contract is split by who owns the data, as WTF Dial splits its
// services. The portal's data belongs to the MSP's system: it is imported
// into portald's database, or copied there from Autotask by a sync; the
// rules read it through PortalData and write it through its Source.
// portald's own accounts and state (tokens, passwords, sign-in codes,
// custom levels, the outbox and the counts behind the rate limits) always
// live in portald's own database, behind Accounts. A consumer that needs
// less declares less: mail.Store (the outbox worker), httpapi.LoginAttempts
// (the login limiter), portald's database (its commands) and
// atstore.Local (the Autotask sync and writer).
//
// Every list method calls each for every row in order and stops at the
// first error each returns (which it returns). Single lookups return
// ErrNotFound when nothing matches.

// PortalData reads the portal's data. Every query arrives already scoped
// by the rules (internal/portal); the store only fetches. The SQL stores
// implement it (internal/store/sqlstore), for an imported portal and for
// the copy of Autotask alike.
//
// The predicates the query types name are the contract's own rules, each
// spelled once per store (docs/architecture.md lists where), with
// internal/store/storetest as their specification:
//
//   - a project accessible under a ProjectScope (My Projects);
//   - a task visible in the portal: visible_in_portal, whatever the query;
//     an attachment is visible unless it belongs to a task that is not;
//   - a task open for a contact (TaskQuery.OpenForContactID: My Open Tasks);
//   - an end-client project of a billing organization (EndClientQuery);
//   - an end-client ticket of a billing organization (EndClientTicketQuery);
//   - a task billed to an organization (TaskQuery.BilledToOrgID);
//   - the billed-hours scope of an organization (BilledHoursQuery).
type PortalData interface {
	Portal(ctx context.Context) (PortalSettings, error)
	Organizations(ctx context.Context) ([]Organization, error)

	Projects(ctx context.Context, q ProjectQuery, each func(api.Project) error) error
	Team(ctx context.Context, projectID int64) ([]api.TeamMember, error)
	Phases(ctx context.Context, projectID int64) ([]Phase, error)
	ScheduleTasks(ctx context.Context, q TaskQuery) ([]ScheduleTask, error)                 // ordered by position, id
	Notes(ctx context.Context, projectID int64, page Page, each func(api.Note) error) error // published only
	// Attachments never lists an attachment of a task that is not
	// visible in the portal.
	Attachments(ctx context.Context, projectID int64, page Page, each func(api.Attachment) error) error

	Tasks(ctx context.Context, q TaskQuery, each func(api.Task) error) error
	TaskNotes(ctx context.Context, taskID int64, page Page, each func(api.TaskNote) error) error // published only
	TaskAssignee(ctx context.Context, taskID int64) (Resource, error)                            // ErrNotFound when unassigned

	IsBillingOrganization(ctx context.Context, orgID int64) (bool, error)
	EndClients(ctx context.Context, billingOrgID int64) ([]api.EndClient, error)
	EndClientProjects(ctx context.Context, q EndClientQuery, each func(api.EndClientProject) error) error
	// EndClientTickets streams end-client tickets with the hours billed to
	// the billing organization (labour items on its contracts only).
	EndClientTickets(ctx context.Context, q EndClientTicketQuery, each func(api.EndClientTicket) error) error
	TicketNotes(ctx context.Context, ticketID int64, page Page, each func(api.TicketNote) error) error // published only
	// BilledHoursFeed reads the billed hours of q from one snapshot of the
	// billing feed (docs/billed-hours.md): every change to what an item
	// shows in the export (insert, update of an exported value, removal,
	// a change of its contract's billing organization or its project's
	// organization or type) gets a position that only grows in commit
	// order. It calls head with the newest position the snapshot holds
	// before any row (an error from head ends the call), then each with
	// the rows. With q.Changes, the rows are the changes in (Since, Until]
	// as entries: "new" for an item the consumer (who saw the state at
	// Since) did not have in view, "reversal" (the version it had, hours
	// and amount negated) then "correction" (the item now) for a changed
	// one, a lone "reversal" for one removed or now out of view; ordered
	// by id, Page.After.ID the item to resume at and Page.After.Value
	// "reversal" when its reversal was already sent. Without it, the
	// current state ordered by (worked_date, id), every row "new". head
	// may be nil.
	BilledHoursFeed(ctx context.Context, q BilledHoursQuery, head func(FeedPosition) error, each func(api.BilledHoursRow) error) error
	// BilledHoursSummary totals the rows BilledHoursFeed(q) gives (q.Page
	// and q.AfterID unused), grouped by the keys of by (of api.SummaryKeys)
	// and ordered as SortBilledTotals orders them.
	BilledHoursSummary(ctx context.Context, q BilledHoursQuery, by []string, each func(api.BilledHoursTotal) error) error
	// Charges streams the billed items other than labour (expenses,
	// milestones, charges, services) in q's billed-hours scope, ordered
	// by (date, id), with q's client, project, date and page bounds
	// (Page.After.Value is a date). An import has none; the Autotask
	// copy fills them.
	Charges(ctx context.Context, q BilledHoursQuery, each func(api.Charge) error) error
	// ProjectEvents streams the calendar events of the projects q selects
	// (its scope, id, number and status filters; Search and Page unused),
	// ordered by event id; none on a copy of a source without a project
	// calendar (Autotask).
	ProjectEvents(ctx context.Context, q ProjectQuery, each func(api.Event) error) error

	// Ping checks that the store answers and can take writes (readiness).
	Ping(ctx context.Context) error
}

// Source is the system the portal's data comes from. An imported portal
// is its own source (sqlite, postgres); the copy of Autotask has Autotask
// (internal/store/autotask). Writes go to the source first, and what a
// copy does not keep is read from it.
type Source interface {
	AddNote(ctx context.Context, n api.Note, authorContactID int64) (api.Note, error)
	AddTaskNote(ctx context.Context, n api.TaskNote, authorContactID int64) (api.TaskNote, error)
	// CompleteTask sets status complete, completed_at and completed_by unless
	// already complete; it reports whether it changed anything.
	CompleteTask(ctx context.Context, taskID, contactID int64, at time.Time) (changed bool, err error)
	// CreateIssue stores the issue and, when key is not nil, the key,
	// atomically. If the key already exists it returns ErrConflict and
	// creates nothing.
	CreateIssue(ctx context.Context, in NewIssue, key *Idempotency) (api.Task, error)
	// IdempotencyKey returns a key stored at or after notBefore, with the
	// issue it filed.
	IdempotencyKey(ctx context.Context, contactID int64, key string, notBefore time.Time) (Idempotency, error)
	// AttachmentContent never returns an attachment of a task that is not
	// visible in the portal.
	AttachmentContent(ctx context.Context, id int64) (AttachmentContent, error)
	// Events: ErrUnsupported when the source has no project calendar.
	Events(ctx context.Context, projectID int64, from, to *time.Time, each func(api.Event) error) error
}

// Accounts is portald's own data: who may sign in and how, the tokens
// they hold, the outbox, and the counts the rate limits share between
// every portald instance on the database. (Contacts are the portal's
// data; the login lookups read them.)
type Accounts interface {
	// ContactByUsername finds a portal login, ignoring case, with its
	// password hash.
	ContactByUsername(ctx context.Context, username string) (Contact, error)
	// ResetPassword stores a new password hash and revokes every live
	// token of the contact at once; it returns how many it revoked.
	ResetPassword(ctx context.Context, contactID int64, hash string, at time.Time) (int64, error)
	// SecurityLevelPermissions returns the permissions of a custom level
	// (ErrNotFound when the data defines no such level).
	SecurityLevelPermissions(ctx context.Context, name string) ([]string, error)
	// PortalUsersByEmail returns the contacts with a portal login whose
	// email is email, ignoring case (sign-in codes).
	PortalUsersByEmail(ctx context.Context, email string) ([]Contact, error)
	// SetLoginCode keeps hash as the contact's one sign-in code until
	// expires, replacing any earlier one.
	SetLoginCode(ctx context.Context, contactID int64, hash string, expires time.Time) error
	// UseLoginCode spends the contact's code if hash is it and it has not
	// expired at now: it reports true at most once per code. A wrong hash
	// counts a failure; after MaxLoginCodeFailures the code is void.
	UseLoginCode(ctx context.Context, contactID int64, hash string, now time.Time) (bool, error)

	CreateToken(ctx context.Context, t TokenRecord) (TokenRecord, error) // assigns ID
	// IdentityByTokenHash returns the token with that hash, whatever its
	// state (revoked, expired), with its contact, in one round trip;
	// ErrNotFound when there is no such token or its contact is gone.
	IdentityByTokenHash(ctx context.Context, hash string) (Identity, error)
	// IdentityGeneration numbers the state of the identities: it changes,
	// in the same transaction, with every change to what
	// IdentityByTokenHash returns for any token (not with a token's use),
	// whichever process makes it. An identity read after generation g was
	// read is current while the generation is still g; the rules layer
	// caches identities on that condition.
	IdentityGeneration(ctx context.Context) (int64, error)
	Tokens(ctx context.Context, contactID int64) ([]TokenRecord, error) // not revoked
	RevokeToken(ctx context.Context, contactID, tokenID int64, at time.Time) error
	TouchToken(ctx context.Context, tokenID int64, at time.Time) error

	EnqueueEmail(ctx context.Context, e Email) (Email, error)
	// DueEmails claims up to limit queued emails whose NextAttemptAt <= now
	// (exactly one caller gets each, even across processes sharing a store).
	DueEmails(ctx context.Context, now time.Time, limit int) ([]Email, error)
	UpdateEmail(ctx context.Context, e Email) error
	Emails(ctx context.Context, status string, each func(Email) error) error // status "" = all
	Email(ctx context.Context, id int64) (Email, error)
	// TakeEmailAllowance takes one email from a contact's allowance: burst
	// emails at once, then one more each every (a token bucket, kept as
	// the time it is full again). When the allowance is spent it takes
	// nothing and says how long to wait.
	TakeEmailAllowance(ctx context.Context, contactID int64, now time.Time, every time.Duration, burst int) (wait time.Duration, err error)

	// CountLoginAttempt records one login attempt under key at now and
	// returns the window it falls in: a key's window opens at its first
	// attempt (or its first after the previous window ended) and lasts
	// window. Concurrent calls each see a different count. Keys whose window
	// has ended are deleted, so the table stays small.
	CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (LoginWindow, error)
	// UncountLoginAttempt takes back one attempt counted under key (a login
	// that succeeded: only failures count); nothing when none is counted.
	UncountLoginAttempt(ctx context.Context, key string) error
}

// MaxLoginCodeFailures is how many wrong codes void a contact's code.
const MaxLoginCodeFailures = 5

// Stores are one portal's stores by who owns the data: the rules layer
// runs on them (portal.New). For an imported portal all three are its
// database (sqlstore.Store.Stores); for the copy of Autotask, Source is
// Autotask and the others the database holding the copy.
type Stores struct {
	Data     PortalData
	Source   Source
	Accounts Accounts
	Calendar CalendarStore // portald's own too: the feed's tokens and versions
}

// LoginWindow is a rate-limit key's current window of login attempts.
type LoginWindow struct {
	Start    time.Time // when the window opened (millisecond precision)
	Attempts int       // attempts in the window, the one just counted included
}

// Phase is a schedule phase.
type Phase struct {
	ID            int64
	ProjectID     int64
	ParentPhaseID *int64
	Title         string
	Position      int
	StartDate     *api.Date
	DueDate       *api.Date
}

// ScheduleTask is a task as placed in a schedule.
type ScheduleTask struct {
	api.Task
	Position int
}

// ErrUnsupported is returned by a store that cannot provide a record kind at
// all (Autotask has no project calendar: its REST API has none).
var ErrUnsupported = errors.New("not supported by this store")

// UnavailableError is returned by a store whose upstream system (Autotask)
// cannot answer now: it is down, slow, failing, refusing our credentials or
// out of request budget. It is never turned into an empty result.
type UnavailableError struct {
	Reason      string        // one line for the user, no credentials
	RetryAfter  time.Duration // when known, how long to wait
	RateLimited bool          // the request budget is spent (HTTP 429)
	Err         error
}

func (e *UnavailableError) Error() string { return e.Reason }
func (e *UnavailableError) Unwrap() error { return e.Err }

// BusyError is returned by a store whose own database cannot take the
// request now: every connection it may use is taken, another writer holds
// the lock (an import), a lock wait timed out, or the disk is full. The
// request may be retried after RetryAfter; the API answers 503
// unavailable, never 500.
type BusyError struct {
	Reason     string        // one line for the user
	RetryAfter time.Duration // how long to wait before retrying
	DiskFull   bool          // the database's disk is full: the portal is not ready until space returns
	Err        error         // the driver's error, for the log
}

func (e *BusyError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}
func (e *BusyError) Unwrap() error { return e.Err }

type streamingKey struct{}

// Streaming marks ctx as a request whose answer lasts as long as its client
// takes to read it (an NDJSON stream, an attachment download). Stores that
// keep separate connections for such reads (sqlite, postgres) run its
// queries there, so slow clients can never take the connections that
// authentication and every other request need.
func Streaming(ctx context.Context) context.Context {
	return context.WithValue(ctx, streamingKey{}, true)
}

// IsStreaming reports whether ctx was marked by Streaming.
func IsStreaming(ctx context.Context) bool {
	v, _ := ctx.Value(streamingKey{}).(bool)
	return v
}

// Identity is everything authenticating a request reads, fetched at once:
// the token, its contact, the contact's organization with the organizations
// below it, and the permissions the data defines for the contact's level.
type Identity struct {
	Token        TokenRecord
	Contact      Contact
	Organization Organization // zero when the contact's organization is missing
	// Below are the organizations under Organization (its children, their
	// children, …), ordered by id, whatever the contact's level.
	Below []OrgLink
	// LevelPermissions are the permissions of the contact's security level
	// as the data defines it; LevelDefined is false when it defines none.
	LevelPermissions []string
	LevelDefined     bool
}

// OrgLink is an organization's place in the organization tree.
type OrgLink struct {
	ID, ParentID int64
}

// AttachmentWriter is implemented by a Source that keeps attachments
// itself (sqlite, postgres): AddAttachment stores the content with its
// metadata (ID is assigned) and returns the metadata. The rules layer
// answers 501 not_supported for a Source without it (Autotask, until the
// copy writes its TaskAttachments).
type AttachmentWriter interface {
	AddAttachment(ctx context.Context, a api.Attachment, content []byte) (api.Attachment, error)
}
