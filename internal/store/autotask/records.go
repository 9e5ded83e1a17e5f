package autotask

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/pkg/api"
)

// The Autotask records the bridge reads, with only the fields it maps (the
// same names go into each query's IncludeFields). encoding/json matches
// field names case-insensitively, as Autotask does.

type atCompany struct {
	ID              int64  `json:"id"`
	CompanyName     string `json:"companyName"`
	ParentCompanyID *int64 `json:"parentCompanyID"`
}

type atContact struct {
	ID           int64    `json:"id"`
	CompanyID    int64    `json:"companyID"`
	FirstName    string   `json:"firstName"`
	LastName     string   `json:"lastName"`
	EmailAddress string   `json:"emailAddress"`
	Phone        string   `json:"phone"`
	IsActive     flexBool `json:"isActive"` // an integer 1/0 on Contacts
}

func (c atContact) name() string { return c.FirstName + " " + c.LastName }

type atResource struct {
	ID          int64    `json:"id"`
	FirstName   string   `json:"firstName"`
	LastName    string   `json:"lastName"`
	Email       string   `json:"email"`
	OfficePhone string   `json:"officePhone"`
	Title       string   `json:"title"`
	IsActive    flexBool `json:"isActive"`
}

func (r atResource) name() string { return r.FirstName + " " + r.LastName }

type atContract struct {
	ID              int64  `json:"id"`
	CompanyID       int64  `json:"companyID"`
	BillToCompanyID *int64 `json:"billToCompanyID"`
}

type atProject struct {
	ID                    int64    `json:"id"`
	ProjectNumber         string   `json:"projectNumber"`
	ProjectName           string   `json:"projectName"`
	CompanyID             int64    `json:"companyID"`
	ProjectType           pickID   `json:"projectType"`
	Status                pickID   `json:"status"`
	ContractID            *int64   `json:"contractID"`
	ProjectLeadResourceID *int64   `json:"projectLeadResourceID"`
	Description           string   `json:"description"`
	StartDateTime         at.Time  `json:"startDateTime"`
	EndDateTime           at.Time  `json:"endDateTime"`
	CompletedDateTime     at.Time  `json:"completedDateTime"`
	EstimatedTime         *atDec   `json:"estimatedTime"`
	CompletedPercentage   *atDec   `json:"completedPercentage"`
	UDFs                  []at.UDF `json:"userDefinedFields"`
}

var projectFields = []string{"id", "projectNumber", "projectName", "companyID", "projectType", "status", "contractID",
	"projectLeadResourceID", "description", "startDateTime", "endDateTime", "completedDateTime", "estimatedTime",
	"completedPercentage"}

type atPhase struct {
	ID            int64   `json:"id"`
	ProjectID     int64   `json:"projectID"`
	ParentPhaseID *int64  `json:"parentPhaseID"`
	Title         string  `json:"title"`
	StartDate     at.Time `json:"startDate"`
	DueDate       at.Time `json:"dueDate"`
}

type atTask struct {
	ID                              int64    `json:"id"`
	ProjectID                       int64    `json:"projectID"`
	PhaseID                         *int64   `json:"phaseID"`
	TaskNumber                      string   `json:"taskNumber"`
	Title                           string   `json:"title"`
	Description                     string   `json:"description"`
	Status                          pickID   `json:"status"`
	IsVisibleInClientPortal         flexBool `json:"isVisibleInClientPortal"`
	CanClientPortalUserCompleteTask flexBool `json:"canClientPortalUserCompleteTask"`
	AssignedResourceID              *int64   `json:"assignedResourceID"`
	PriorityLabel                   pickID   `json:"priorityLabel"`
	StartDateTime                   at.Time  `json:"startDateTime"`
	EndDateTime                     at.Time  `json:"endDateTime"`
	CompletedDateTime               at.Time  `json:"completedDateTime"`
	CreateDateTime                  at.Time  `json:"createDateTime"`
	TaskCategoryID                  pickID   `json:"taskCategoryID"`
	UDFs                            []at.UDF `json:"userDefinedFields"`
}

var taskFields = []string{"id", "projectID", "phaseID", "taskNumber", "title", "description", "status",
	"isVisibleInClientPortal", "canClientPortalUserCompleteTask", "assignedResourceID", "priorityLabel",
	"startDateTime", "endDateTime", "completedDateTime", "createDateTime", "taskCategoryID"}

// atNote is a ProjectNotes or TaskNotes record.
type atNote struct {
	ID                 int64   `json:"id"`
	ProjectID          int64   `json:"projectID"`
	TaskID             int64   `json:"taskID"`
	Title              string  `json:"title"`
	Description        string  `json:"description"`
	CreatorResourceID  *int64  `json:"creatorResourceID"`
	CreatedByContactID *int64  `json:"createdByContactID"`
	CreateDateTime     at.Time `json:"createDateTime"`
}

type atAttachment struct {
	ID          int64   `json:"id"`
	ProjectID   int64   `json:"projectID"`
	Title       string  `json:"title"`
	FullPath    string  `json:"fullPath"`
	ContentType string  `json:"contentType"`
	AttachDate  at.Time `json:"attachDate"`
	FileSize    int64   `json:"fileSize"`
	Data        []byte  `json:"data"` // base64, only in the child read
}

type atBillingItem struct {
	ID          int64   `json:"id"`
	ProjectID   *int64  `json:"projectID"`
	TaskID      *int64  `json:"taskID"`
	ContractID  *int64  `json:"contractID"`
	CompanyID   int64   `json:"companyID"`
	ItemDate    at.Time `json:"itemDate"`
	Quantity    atDec   `json:"quantity"`
	Rate        *atDec  `json:"rate"`
	Description string  `json:"description"`
	PostedDate  at.Time `json:"postedDate"`
	TimeEntryID *int64  `json:"timeEntryID"`
}

type atTimeEntry struct {
	ID          int64  `json:"id"`
	ResourceID  *int64 `json:"resourceID"`
	HoursWorked atDec  `json:"hoursWorked"`
}

// udf returns a user-defined field's value ("" when absent or null).
func udf(fields []at.UDF, name string) string {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) && f.Value != nil {
			return strings.TrimSpace(*f.Value)
		}
	}
	return ""
}

// udfID reads a user-defined field holding a record id.
func udfID(fields []at.UDF, name string) *int64 {
	v, err := strconv.ParseInt(udf(fields, name), 10, 64)
	if err != nil || v <= 0 {
		return nil
	}
	return &v
}

// date is the calendar date of an Autotask date field, which Autotask
// sends as midnight ("2026-01-05T00:00:00Z").
func date(t at.Time) *api.Date {
	if t.IsZero() {
		return nil
	}
	d := api.Date(t.UTC().Format("2006-01-02"))
	return &d
}

func timePtr(t at.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.UTC()
	return &v
}

// decode reads one record, reporting a body that does not fit as Autotask
// answering something portald cannot read (never a silently empty record).
func decode[T any](entity string, item at.Item) (T, error) {
	var v T
	if err := json.Unmarshal(item, &v); err != nil {
		return v, unreadable(entity, err)
	}
	return v, nil
}
