// Package dataset is the portal data format of docs/data-format.md: the
// records `portald import` reads and `portald export` writes, a streaming
// decoder, and the whole-file validation that reports every problem with its
// JSON path before anything is written.
package dataset

import (
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// Kinds are the top-level keys of a data file, in dependency order (a
// record only refers to kinds before it; organizations and phases also refer
// to themselves). Export writes them in this order.
var Kinds = []string{
	"portal", "organizations", "security_levels", "contacts", "resources", "contracts",
	"projects", "phases", "tasks", "team", "project_notes", "task_notes",
	"attachments", "events", "billing_items",
}

// Portal is the "portal" object.
type Portal struct {
	Name             string `json:"name"`
	OrganizationTerm string `json:"organization_term"`
	SupportEmail     string `json:"support_email"`
	ProviderName     string `json:"provider_name"`
}

type Organization struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	ParentID        *int64 `json:"parent_id,omitempty"`
	TimeZone        string `json:"time_zone"`
	NotifyResources bool   `json:"notify_resources"`
}

type SecurityLevel struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

// Contact is a client contact. On import Password is plain text and is
// hashed before storage; on export PasswordHash carries the stored hash so
// that an export re-imports with the same logins.
type Contact struct {
	ID             int64  `json:"id"`
	OrganizationID int64  `json:"organization_id"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	Email          string `json:"email,omitempty"`
	Phone          string `json:"phone,omitempty"`
	Username       string `json:"username,omitempty"`
	SecurityLevel  string `json:"security_level"`
	PortalEnabled  bool   `json:"portal_enabled"`
	Active         bool   `json:"active"`
	Password       string `json:"password,omitempty"`
	PasswordHash   string `json:"password_hash,omitempty"`
}

type Resource struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Title     string `json:"title,omitempty"`
	Active    bool   `json:"active"`
}

type Contract struct {
	ID                    int64  `json:"id"`
	OrganizationID        int64  `json:"organization_id"`
	Name                  string `json:"name"`
	BillingOrganizationID *int64 `json:"billing_organization_id,omitempty"`
}

type Project struct {
	ID              int64        `json:"id"`
	Number          string       `json:"number"`
	Name            string       `json:"name"`
	OrganizationID  int64        `json:"organization_id"`
	Type            string       `json:"type"`
	Status          string       `json:"status"`
	ContractID      *int64       `json:"contract_id,omitempty"`
	LeadResourceID  *int64       `json:"lead_resource_id,omitempty"`
	Description     string       `json:"description,omitempty"`
	StartDate       *api.Date    `json:"start_date,omitempty"`
	EndDate         *api.Date    `json:"end_date,omitempty"`
	CompletedAt     *time.Time   `json:"completed_at,omitempty"`
	EstimatedHours  *api.Decimal `json:"estimated_hours,omitempty"`
	PercentComplete *api.Decimal `json:"percent_complete,omitempty"`
}

type Phase struct {
	ID            int64     `json:"id"`
	ProjectID     int64     `json:"project_id"`
	ParentPhaseID *int64    `json:"parent_phase_id,omitempty"`
	Title         string    `json:"title"`
	Position      int       `json:"position"`
	StartDate     *api.Date `json:"start_date,omitempty"`
	DueDate       *api.Date `json:"due_date,omitempty"`
}

type Task struct {
	ID                   int64        `json:"id"`
	ProjectID            int64        `json:"project_id"`
	PhaseID              *int64       `json:"phase_id,omitempty"`
	Number               string       `json:"number"`
	Title                string       `json:"title"`
	Description          string       `json:"description,omitempty"`
	Status               string       `json:"status"`
	IsIssue              bool         `json:"is_issue"`
	VisibleInPortal      bool         `json:"visible_in_portal"`
	ClientCompletable    bool         `json:"client_completable"`
	ContactID            *int64       `json:"contact_id,omitempty"`
	AssignedResourceID   *int64       `json:"assigned_resource_id,omitempty"`
	Priority             string       `json:"priority,omitempty"`
	Position             int          `json:"position"`
	StartDate            *api.Date    `json:"start_date,omitempty"`
	DueDate              *api.Date    `json:"due_date,omitempty"`
	CompletedAt          *time.Time   `json:"completed_at,omitempty"`
	CompletedByContactID *int64       `json:"completed_by_contact_id,omitempty"`
	EstimatedHours       *api.Decimal `json:"estimated_hours,omitempty"`
	ContractID           *int64       `json:"contract_id,omitempty"`
	CreatedAt            *time.Time   `json:"created_at,omitempty"`
}

type TeamMember struct {
	ProjectID  int64  `json:"project_id"`
	ResourceID *int64 `json:"resource_id,omitempty"`
	ContactID  *int64 `json:"contact_id,omitempty"`
	Role       string `json:"role,omitempty"`
}

type ProjectNote struct {
	ID               int64     `json:"id"`
	ProjectID        int64     `json:"project_id"`
	Title            string    `json:"title"`
	Body             string    `json:"body"`
	AuthorResourceID *int64    `json:"author_resource_id,omitempty"`
	AuthorContactID  *int64    `json:"author_contact_id,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	Published        bool      `json:"published"`
}

type TaskNote struct {
	ID               int64     `json:"id"`
	TaskID           int64     `json:"task_id"`
	Subject          string    `json:"subject"`
	Body             string    `json:"body"`
	AuthorResourceID *int64    `json:"author_resource_id,omitempty"`
	AuthorContactID  *int64    `json:"author_contact_id,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	Published        bool      `json:"published"`
}

// Attachment carries its content decoded (Content); the file format holds
// it as content_base64, which encoding/json maps to []byte.
type Attachment struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	TaskID      *int64    `json:"task_id,omitempty"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type,omitempty"`
	Content     []byte    `json:"content_base64"`
	CreatedAt   time.Time `json:"created_at"`
}

type Event struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	Title       string    `json:"title"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	AllDay      bool      `json:"all_day"`
	Location    string    `json:"location,omitempty"`
	Description string    `json:"description,omitempty"`
}

type BillingItem struct {
	ID          int64        `json:"id"`
	ProjectID   int64        `json:"project_id"`
	TaskID      *int64       `json:"task_id,omitempty"`
	ResourceID  *int64       `json:"resource_id,omitempty"`
	ContractID  int64        `json:"contract_id"`
	WorkedDate  api.Date     `json:"worked_date"`
	HoursWorked api.Decimal  `json:"hours_worked"`
	HoursBilled api.Decimal  `json:"hours_billed"`
	Rate        *api.Decimal `json:"rate,omitempty"`
	// Amount is what the item is invoiced for when that is not
	// hours_billed × rate (Autotask's extendedPrice); nil: hours × rate.
	Amount      *api.Decimal `json:"amount,omitempty"`
	Description string       `json:"description,omitempty"`
	BilledAt    *time.Time   `json:"billed_at,omitempty"`
}

// Writer receives validated records (defaults applied, passwords already
// hashed into PasswordHash) in Kinds order. Stores that hold the data
// themselves implement it inside one transaction; see store.Importer.
type Writer interface {
	Write(rec any) error // *Portal, *Organization, ... *BillingItem; upsert by id
}
