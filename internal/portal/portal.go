// Package portal holds the Client Portal's rules (docs/portal-rules.md):
// who the user is, which organizations and projects are in their scope, what
// they may see and do. It is the only place that decides access; it builds
// already-scoped store queries and turns denials into *api.Error values
// (403 naming the permission, or 404 for records the user may not see).
package portal

import (
	"context"
	"io"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// User is an authenticated portal user, resolved once per request.
type User struct {
	Contact      store.Contact
	Organization store.Organization
	Level        string
	Permissions  map[string]bool
	ScopeOrgIDs  []int64 // the user's organization plus, with sub_organizations, its descendants
	TokenID      int64
	FeedID       int64 // the calendar feed token of the request (AuthenticateFeed), else 0
}

// Can reports whether the user's security level carries a permission.
func (u *User) Can(permission string) bool { return u.Permissions[permission] }

// ProjectFilter is what a caller may ask of My Projects.
type ProjectFilter struct {
	Org              string // "all" (or ""), "own", or an organization id or name in scope
	IncludeCompleted bool
	Search           string
}

// EndClientFilter is what a caller may ask of End Client Projects and
// End Client Tickets.
type EndClientFilter struct {
	Client           string // "" for all, else an end client id or name
	IncludeCompleted bool
}

// BilledHoursFilter selects billed-hours rows.
type BilledHoursFilter struct {
	Client   string
	Kind     string // "project" or "ticket" work only, when set
	From, To string // YYYY-MM-DD, optional
	AfterID  int64  // only billing items with a larger id (deprecated: see Since)
	// Since, when set, asks for the changes after this billing feed position
	// (an incremental export: docs/billed-hours.md); Until, on a later page
	// of the same run, pins it to the first page's position.
	Since *store.FeedPosition
	Until int64
}

// IssueResult is a filed issue and whether it was created by this call
// (false when an Idempotency-Key replayed an earlier result).
type IssueResult struct {
	Issue   api.Task
	Created bool
}

// Download is an attachment's content for streaming: it is read from the
// store as it is sent. The caller closes it.
type Download struct {
	api.Attachment
	Content io.ReadCloser
}

// API is the rules layer as the HTTP layer sees it. Refs are an id ("5") or
// a number ("P20260105.0001", "T20260105.0002"). Lists stream rows to each in
// order (by id, billed hours by (worked_date, id)) within page.
type API interface {
	Login(ctx context.Context, req api.CreateTokenRequest) (api.CreatedToken, error)
	// SendLoginCode emails a one-time sign-in code to the portal users with
	// this address (the same answer when there is none).
	SendLoginCode(ctx context.Context, email string) error
	CreateToken(ctx context.Context, username, name string, ttl time.Duration) (api.CreatedToken, error)
	Authenticate(ctx context.Context, secret string) (*User, error)
	Tokens(ctx context.Context, u *User) ([]api.Token, error)
	RevokeToken(ctx context.Context, u *User, id int64) error

	Me(ctx context.Context, u *User) (api.Me, error)
	Organizations(ctx context.Context, u *User) ([]api.Organization, error)

	Projects(ctx context.Context, u *User, f ProjectFilter, page store.Page, each func(api.Project) error) error
	Project(ctx context.Context, u *User, ref string) (api.Project, error)
	Schedule(ctx context.Context, u *User, ref string) (api.Schedule, error)
	Issues(ctx context.Context, u *User, ref string, page store.Page, each func(api.Task) error) error
	NewIssue(ctx context.Context, u *User, ref string, in api.NewIssue, idempotencyKey string) (IssueResult, error)
	Notes(ctx context.Context, u *User, ref string, page store.Page, each func(api.Note) error) error
	AddNote(ctx context.Context, u *User, ref string, in api.NewNote) (api.Note, error)
	Attachments(ctx context.Context, u *User, ref string, page store.Page, each func(api.Attachment) error) error
	Attachment(ctx context.Context, u *User, id int64) (Download, error)
	AddTaskAttachment(ctx context.Context, u *User, ref string, in NewAttachment) (api.Attachment, error)
	Calendar(ctx context.Context, u *User, ref string, from, to *time.Time, each func(api.Event) error) error
	Team(ctx context.Context, u *User, ref string) ([]api.TeamMember, error)
	EmailTeam(ctx context.Context, u *User, ref string, in api.TeamEmail) (api.EmailResult, error)
	EmailStatus(ctx context.Context, u *User, id int64) (api.EmailStatus, error)

	OpenTasks(ctx context.Context, u *User, projectRef string, page store.Page, each func(api.Task) error) error
	Task(ctx context.Context, u *User, ref string) (api.Task, error)
	TaskNotes(ctx context.Context, u *User, ref string, page store.Page, each func(api.TaskNote) error) error
	AddTaskNote(ctx context.Context, u *User, ref string, in api.NewTaskNote) (api.TaskNote, error)
	CompleteTask(ctx context.Context, u *User, ref string) (api.CompleteResult, error)

	CalendarAPI

	EndClients(ctx context.Context, u *User) ([]api.EndClient, error)
	EndClientProjects(ctx context.Context, u *User, f EndClientFilter, page store.Page, each func(api.EndClientProject) error) error
	EndClientTickets(ctx context.Context, u *User, f EndClientFilter, page store.Page, each func(api.EndClientTicket) error) error
	EndClientTicket(ctx context.Context, u *User, ref string) (api.EndClientTicket, error)
	EndClientTicketNotes(ctx context.Context, u *User, ref string, page store.Page, each func(api.TicketNote) error) error
	EndClientProject(ctx context.Context, u *User, ref string) (api.EndClientProject, error)
	EndClientSchedule(ctx context.Context, u *User, ref string) (api.Schedule, error)
	EndClientTeam(ctx context.Context, u *User, ref string) ([]api.TeamMember, error)
	EndClientEmailTeam(ctx context.Context, u *User, ref string, in api.TeamEmail) (api.EmailResult, error)
	BilledHours(ctx context.Context, u *User, f BilledHoursFilter, page store.Page, head func(store.FeedPosition) error, each func(api.BilledHoursRow) error) error
	Charges(ctx context.Context, u *User, f BilledHoursFilter, page store.Page, each func(api.Charge) error) error
	BilledHoursSummary(ctx context.Context, u *User, f BilledHoursFilter, by []string) (api.BilledHoursSummary, error)

	Ready(ctx context.Context) error
	// Copy says how old the data is when the store is a synced copy.
	Copy(ctx context.Context) (CopyStatus, error)
}

// Outbox records an email and delivers it: Send stores it in the outbox
// (store.EnqueueEmail), tries SMTP at once when configured, and leaves it
// queued for retry with backoff otherwise. The returned Email carries the
// outbox id and status ("sent" or "queued"). Implemented by internal/mail.
type Outbox interface {
	Send(ctx context.Context, e store.Email) (store.Email, error)
}
