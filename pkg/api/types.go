// Package api holds the Portal API v1 wire types, shared by portald (which
// serves them) and pkg/client (which decodes them). JSON keys are snake_case
// and equal the column names portalctl's --columns accepts. Optional values
// are null, never omitted, so every record of a kind has the same keys.
package api

import "time"

// Permissions of a security level (portal-rules.md).
const (
	PermAllOrgProjects   = "all_org_projects"
	PermSubOrganizations = "sub_organizations"
	PermViewSchedule     = "view_schedule"
	PermEmailTeam        = "email_team"
	PermNotes            = "notes"
	PermAttachments      = "attachments"
	PermAddIssues        = "add_issues"
)

// AllPermissions lists every permission name, in documentation order.
var AllPermissions = []string{PermAllOrgProjects, PermSubOrganizations, PermViewSchedule,
	PermEmailTeam, PermNotes, PermAttachments, PermAddIssues}

// Project statuses, task statuses and priorities.
const (
	ProjectNew        = "new"
	ProjectInProgress = "in_progress"
	ProjectOnHold     = "on_hold"
	ProjectInactive   = "inactive"
	ProjectComplete   = "complete"

	TaskNew             = "new"
	TaskInProgress      = "in_progress"
	TaskWaitingCustomer = "waiting_customer"
	TaskOnHold          = "on_hold"
	TaskComplete        = "complete"

	PriorityLow      = "low"
	PriorityMedium   = "medium"
	PriorityHigh     = "high"
	PriorityCritical = "critical"
)

// List is a page of a list endpoint.
type List[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// User is the portal user (a contact).
type User struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Name      string `json:"name"`
	Email     string `json:"email"`
}

// Organization is a customer organization.
type Organization struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	ParentID *int64 `json:"parent_id"`
	TimeZone string `json:"time_zone"`
}

// SecurityLevel is a level and the permissions it carries.
type SecurityLevel struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

// Me answers GET /v1/me.
type Me struct {
	User                  User          `json:"user"`
	Organization          Organization  `json:"organization"`
	SecurityLevel         SecurityLevel `json:"security_level"`
	OrganizationTerm      string        `json:"organization_term"`
	PortalName            string        `json:"portal_name"`
	ProviderName          string        `json:"provider_name"`
	SupportEmail          string        `json:"support_email"`
	IsBillingOrganization bool          `json:"is_billing_organization"`
	// WebURL is the portal's web address (portald --web-url), null when
	// not configured; a project's page is {web_url}/projects/{id}.
	WebURL *string `json:"web_url"`
}

// Project is a project as listed and viewed (My Projects, project summary).
type Project struct {
	ID               int64      `json:"id"`
	Number           string     `json:"number"`
	Name             string     `json:"name"`
	Status           string     `json:"status"`
	OrganizationID   int64      `json:"organization_id"`
	OrganizationName string     `json:"organization_name"`
	StartDate        *Date      `json:"start_date"`
	EndDate          *Date      `json:"end_date"`
	CompletedAt      *time.Time `json:"completed_at"`
	Lead             *string    `json:"lead"`
	Description      string     `json:"description"`
	EstimatedHours   *Decimal   `json:"estimated_hours"`
	PercentComplete  *Decimal   `json:"percent_complete"`
}

// EndClientProject is a project billed to the user's organization, with the
// hours billed to it.
type EndClientProject struct {
	Project
	BilledHours Decimal `json:"billed_hours"`
}

// EndClient is an organization with at least one project billed to the
// user's organization.
type EndClient struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Task is a project task or issue visible in the portal.
type Task struct {
	ID                int64      `json:"id"`
	Number            string     `json:"number"`
	Title             string     `json:"title"`
	Description       string     `json:"description"`
	Status            string     `json:"status"`
	Priority          *string    `json:"priority"`
	IsIssue           bool       `json:"is_issue"`
	ProjectID         int64      `json:"project_id"`
	ProjectNumber     string     `json:"project_number"`
	ProjectName       string     `json:"project_name"`
	PhaseID           *int64     `json:"phase_id"`
	ContactID         *int64     `json:"contact_id"`
	ContactName       *string    `json:"contact_name"`
	AssignedResource  *string    `json:"assigned_resource"`
	ClientCompletable bool       `json:"client_completable"`
	StartDate         *Date      `json:"start_date"`
	DueDate           *Date      `json:"due_date"`
	CompletedAt       *time.Time `json:"completed_at"`
	CompletedBy       *string    `json:"completed_by"`
	CreatedAt         *time.Time `json:"created_at"`
}

// CompleteResult answers POST /v1/tasks/{id}/complete.
type CompleteResult struct {
	Task
	AlreadyComplete bool `json:"already_complete"`
}

// ScheduleItem is a node of a project schedule: a phase (with children) or a
// task or issue. Outline is the hierarchical number ("1", "1.2", "1.2.3").
type ScheduleItem struct {
	Kind      string         `json:"kind"` // phase, task or issue
	ID        int64          `json:"id"`
	Outline   string         `json:"outline"`
	Title     string         `json:"title"`
	Number    *string        `json:"number"`
	Status    *string        `json:"status"`
	StartDate *Date          `json:"start_date"`
	DueDate   *Date          `json:"due_date"`
	Children  []ScheduleItem `json:"children"`
}

// Schedule answers GET /v1/projects/{id}/schedule.
type Schedule struct {
	ProjectID int64          `json:"project_id"`
	Items     []ScheduleItem `json:"items"`
}

// Note is a published project note.
type Note struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// TaskNote is a published task note.
type TaskNote struct {
	ID        int64     `json:"id"`
	TaskID    int64     `json:"task_id"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// Attachment is attachment metadata; the content is downloaded separately.
type Attachment struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	TaskID      *int64    `json:"task_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// Event is a project calendar event.
type Event struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	Title       string    `json:"title"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	AllDay      bool      `json:"all_day"`
	Location    string    `json:"location"`
	Description string    `json:"description"`
}

// TeamMember is a provider resource or client contact on a project team.
type TeamMember struct {
	Kind         string `json:"kind"` // resource or contact
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Role         string `json:"role"`
}

// EmailResult answers POST .../team/email. Status is sent when every
// recipient has the email, else queued: GET /v1/emails/{id} (EmailStatus)
// then tells who has it.
type EmailResult struct {
	ID         int64    `json:"id"`
	Recipients []string `json:"recipients"`
	Status     string   `json:"status"` // sent or queued
}

// EmailStatus answers GET /v1/emails/{id}: how a team email the user sent
// went, recipient by recipient. Status is queued while a copy is still to be
// sent, then sent (every recipient has it), partial (some have it; the mail
// server refused the others for good) or failed (nobody has it).
type EmailStatus struct {
	ID         int64             `json:"id"`
	Subject    string            `json:"subject"`
	Status     string            `json:"status"`
	CreatedAt  time.Time         `json:"created_at"`
	Recipients []RecipientStatus `json:"recipients"`
}

// RecipientStatus is one recipient's copy of an email: sent, queued (to be
// tried again; Reply says why not yet) or failed (for good; Reply says why).
type RecipientStatus struct {
	Address   string     `json:"address"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	ReplyCode *int       `json:"reply_code"` // the mail server's last reply code, null when it gave none
	Reply     string     `json:"reply"`
	SentAt    *time.Time `json:"sent_at"`
}

// Entry kinds of a billed-hours row (docs/billed-hours.md). Over every row
// of every run, an item's hours_billed add up to its current billed hours.
const (
	EntryNew        = "new"        // an item the consumer has not had
	EntryReversal   = "reversal"   // undoes the version the consumer had: hours and amount negated
	EntryCorrection = "correction" // the item as it now stands, after its reversal
)

// BilledHoursRow is one billing item billed to the user's organization, as
// an entry of the export.
type BilledHoursRow struct {
	ID            int64      `json:"id"`
	Entry         string     `json:"entry"`
	ClientID      int64      `json:"client_id"`
	ClientName    string     `json:"client_name"`
	ProjectID     int64      `json:"project_id"`
	ProjectNumber string     `json:"project_number"`
	ProjectName   string     `json:"project_name"`
	TaskID        *int64     `json:"task_id"`
	TaskNumber    *string    `json:"task_number"`
	TaskTitle     *string    `json:"task_title"`
	Resource      *string    `json:"resource"`
	WorkedDate    Date       `json:"worked_date"`
	HoursWorked   Decimal    `json:"hours_worked"`
	HoursBilled   Decimal    `json:"hours_billed"`
	Rate          *Decimal   `json:"rate"`
	Amount        *Decimal   `json:"amount"`
	Description   string     `json:"description"`
	BilledAt      *time.Time `json:"billed_at"`
}

// Token is a personal access token's metadata (never its secret).
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Current    bool       `json:"current"`
}

// CreateTokenRequest is the body of POST /v1/auth/tokens: a username and
// password, or an email address and the code POST /v1/auth/login-codes
// sent to it.
type CreateTokenRequest struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Email    string `json:"email,omitempty"`
	Code     string `json:"code,omitempty"`
	Name     string `json:"name"`
}

// LoginCodeRequest is the body of POST /v1/auth/login-codes.
type LoginCodeRequest struct {
	Email string `json:"email"`
}

// CreatedToken answers POST /v1/auth/tokens; Token is shown only this once.
type CreatedToken struct {
	Token     string     `json:"token"`
	ID        int64      `json:"id"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// NewIssue is the body of POST /v1/projects/{id}/issues.
type NewIssue struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Priority    string `json:"priority"`
	// IfAbsent files the issue only if the project has no open issue with
	// the same title (ignoring case and surrounding blanks); otherwise the
	// server answers 200 with that issue. Check and filing are one atomic
	// step on the server, so concurrent requests file one issue.
	IfAbsent bool `json:"if_absent,omitempty"`
}

// NewNote is the body of POST /v1/projects/{id}/notes.
type NewNote struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// NewTaskNote is the body of POST /v1/tasks/{id}/notes.
type NewTaskNote struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// TeamEmail is the body of POST .../team/email.
type TeamEmail struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Limits from portal-rules.md.
const (
	MaxTitle       = 255
	MaxSubject     = 250
	MaxBody        = 32000
	MaxIdempotency = 255
	// MaxAttachment is the largest attachment a client may add (a CI log).
	MaxAttachment = 16 << 20
	// MaxAttachmentName is the longest attachment file name.
	MaxAttachmentName = 255
	DefaultLimit      = 30
	MaxLimit          = 500
)
