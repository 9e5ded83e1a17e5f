package atstore

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/pkg/api"
)

// The Autotask records the sync reads, with the fields it maps; the same
// names go into each query's IncludeFields (fields of the schema extract,
// internal/autotask/atemu/testdata). encoding/json matches names ignoring
// case, as Autotask does. Each has the field Autotask stamps when it
// changes, which the sync pulls by (docs/autotask.md "The synced copy").

type atCompany struct {
	ID              int64         `json:"id"`
	CompanyName     string        `json:"companyName"`
	ParentCompanyID *int64        `json:"parentCompanyID"`
	Changed         autotask.Time `json:"lastTrackedModifiedDateTime"`
}

type atContact struct {
	ID           int64         `json:"id"`
	CompanyID    int64         `json:"companyID"`
	FirstName    string        `json:"firstName"`
	LastName     string        `json:"lastName"`
	EmailAddress string        `json:"emailAddress"`
	Phone        string        `json:"phone"`
	IsActive     flexBool      `json:"isActive"` // an integer 1/0 on Contacts
	Changed      autotask.Time `json:"lastModifiedDate"`
}

type atResource struct {
	ID          int64    `json:"id"`
	FirstName   string   `json:"firstName"`
	LastName    string   `json:"lastName"`
	Email       string   `json:"email"`
	OfficePhone string   `json:"officePhone"`
	Title       string   `json:"title"`
	IsActive    flexBool `json:"isActive"` // a boolean on Resources
}

type atContract struct {
	ID              int64  `json:"id"`
	CompanyID       int64  `json:"companyID"`
	ContractName    string `json:"contractName"`
	BillToCompanyID *int64 `json:"billToCompanyID"`
}

// atPortalUser is a ClientPortalUsers record: who may use the Client
// Portal, under which user name and at which security level.
type atPortalUser struct {
	ID                   int64  `json:"id"`
	ContactID            int64  `json:"contactID"`
	UserName             string `json:"userName"`
	SecurityLevel        pickID `json:"securityLevel"`
	IsClientPortalActive bool   `json:"isClientPortalActive"`
}

type atProject struct {
	ID                    int64          `json:"id"`
	ProjectNumber         string         `json:"projectNumber"`
	ProjectName           string         `json:"projectName"`
	CompanyID             int64          `json:"companyID"`
	ProjectType           pickID         `json:"projectType"`
	Status                pickID         `json:"status"`
	ContractID            *int64         `json:"contractID"`
	ProjectLeadResourceID *int64         `json:"projectLeadResourceID"`
	Description           string         `json:"description"`
	StartDateTime         autotask.Time  `json:"startDateTime"`
	EndDateTime           autotask.Time  `json:"endDateTime"`
	CompletedDateTime     autotask.Time  `json:"completedDateTime"`
	EstimatedTime         *atDec         `json:"estimatedTime"`
	CompletedPercentage   *atDec         `json:"completedPercentage"`
	Changed               autotask.Time  `json:"lastActivityDateTime"`
	UDFs                  []autotask.UDF `json:"userDefinedFields"`
}

type atPhase struct {
	ID            int64         `json:"id"`
	ProjectID     int64         `json:"projectID"`
	ParentPhaseID *int64        `json:"parentPhaseID"`
	Title         string        `json:"title"`
	StartDate     autotask.Time `json:"startDate"`
	DueDate       autotask.Time `json:"dueDate"`
	Changed       autotask.Time `json:"lastActivityDateTime"`
}

type atTask struct {
	ID                              int64          `json:"id"`
	ProjectID                       int64          `json:"projectID"`
	PhaseID                         *int64         `json:"phaseID"`
	TaskNumber                      string         `json:"taskNumber"`
	Title                           string         `json:"title"`
	Description                     string         `json:"description"`
	Status                          pickID         `json:"status"`
	IsVisibleInClientPortal         flexBool       `json:"isVisibleInClientPortal"`
	CanClientPortalUserCompleteTask flexBool       `json:"canClientPortalUserCompleteTask"`
	AssignedResourceID              *int64         `json:"assignedResourceID"`
	PriorityLabel                   pickID         `json:"priorityLabel"`
	StartDateTime                   autotask.Time  `json:"startDateTime"`
	EndDateTime                     autotask.Time  `json:"endDateTime"`
	CompletedDateTime               autotask.Time  `json:"completedDateTime"`
	CreateDateTime                  autotask.Time  `json:"createDateTime"`
	EstimatedHours                  *atDec         `json:"estimatedHours"`
	TaskCategoryID                  pickID         `json:"taskCategoryID"`
	ExternalID                      string         `json:"externalID"`
	Changed                         autotask.Time  `json:"lastActivityDateTime"`
	UDFs                            []autotask.UDF `json:"userDefinedFields"`
}

type atSecondaryResource struct {
	ID         int64 `json:"id"`
	TaskID     int64 `json:"taskID"`
	ResourceID int64 `json:"resourceID"`
}

// atTicket is a Tickets record. Status, priority, queue and category are
// picklists of Tickets (docs/autotask.md §9).
type atTicket struct {
	ID                 int64         `json:"id"`
	TicketNumber       string        `json:"ticketNumber"`
	Title              string        `json:"title"`
	Description        string        `json:"description"`
	Status             pickID        `json:"status"`
	Priority           pickID        `json:"priority"`
	CompanyID          int64         `json:"companyID"`
	ContractID         *int64        `json:"contractID"`
	AssignedResourceID *int64        `json:"assignedResourceID"`
	QueueID            pickID        `json:"queueID"`
	TicketCategory     pickID        `json:"ticketCategory"`
	CreateDate         autotask.Time `json:"createDate"`
	DueDateTime        autotask.Time `json:"dueDateTime"`
	CompletedDate      autotask.Time `json:"completedDate"`
	Changed            autotask.Time `json:"lastActivityDate"`
}

// atNote is a ProjectNotes, TaskNotes or TicketNotes record.
type atNote struct {
	ID                 int64         `json:"id"`
	ProjectID          int64         `json:"projectID"`
	TaskID             int64         `json:"taskID"`
	TicketID           int64         `json:"ticketID"`
	Title              string        `json:"title"`
	Description        string        `json:"description"`
	Publish            pickID        `json:"publish"`
	CreatorResourceID  *int64        `json:"creatorResourceID"`
	CreatedByContactID *int64        `json:"createdByContactID"`
	CreateDateTime     autotask.Time `json:"createDateTime"`
	Changed            autotask.Time `json:"lastActivityDate"`
}

// atAttachment is a ProjectAttachments record. fileSize is a double on the
// wire ("12345.0"): it decodes as a decimal.
type atAttachment struct {
	ID          int64         `json:"id"`
	ProjectID   int64         `json:"projectID"`
	Title       string        `json:"title"`
	FullPath    string        `json:"fullPath"`
	ContentType string        `json:"contentType"`
	AttachDate  autotask.Time `json:"attachDate"`
	Publish     pickID        `json:"publish"`
	FileSize    atDec         `json:"fileSize"`
	Data        []byte        `json:"data"` // base64, only in the child read
}

// atBillingItem is a posted billing item of any kind: labour (a time
// entry), or an expense, milestone, charge or service, told apart by which
// of those it points to. It bills a project (projectID, maybe a task) or a
// ticket (ticketID, no projectID: the recorded item is ticket time).
type atBillingItem struct {
	ID               int64         `json:"id"`
	ProjectID        *int64        `json:"projectID"`
	TicketID         *int64        `json:"ticketID"`
	TaskID           *int64        `json:"taskID"`
	ContractID       *int64        `json:"contractID"`
	CompanyID        int64         `json:"companyID"`
	ItemName         string        `json:"itemName"`
	ItemDate         autotask.Time `json:"itemDate"` // the day worked, date-only
	Quantity         atDec         `json:"quantity"` // hours for labour, units otherwise
	Rate             *atDec        `json:"rate"`
	ExtendedPrice    *atDec        `json:"extendedPrice"` // the amount invoiced
	Description      string        `json:"description"`
	PostedOnTime     autotask.Time `json:"postedOnTime"` // when it was posted (postedDate is date-only)
	TimeEntryID      *int64        `json:"timeEntryID"`
	ExpenseItemID    *int64        `json:"expenseItemID"`
	MilestoneID      *int64        `json:"milestoneID"`
	ProjectChargeID  *int64        `json:"projectChargeID"`
	ContractChargeID *int64        `json:"contractChargeID"`
	TicketChargeID   *int64        `json:"ticketChargeID"`
	ServiceID        *int64        `json:"serviceID"`
	ServiceBundleID  *int64        `json:"serviceBundleID"`
}

// isLabour: only an item billing a time entry counts hours; every other
// item's quantity counts units (findings 2026-12-autotask §0.2).
func (b atBillingItem) isLabour() bool { return b.TimeEntryID != nil && *b.TimeEntryID > 0 }

// chargeKind names what a non-labour item bills.
func (b atBillingItem) chargeKind() string {
	switch {
	case b.ExpenseItemID != nil:
		return "expense"
	case b.MilestoneID != nil:
		return "milestone"
	case b.ProjectChargeID != nil, b.ContractChargeID != nil, b.TicketChargeID != nil:
		return "charge"
	case b.ServiceID != nil, b.ServiceBundleID != nil:
		return "service"
	}
	return "other"
}

type atTimeEntry struct {
	ID          int64  `json:"id"`
	ResourceID  *int64 `json:"resourceID"`
	HoursWorked atDec  `json:"hoursWorked"`
}

// The fields each query includes. Projects and Tasks name the UDFs the
// sync reads: Autotask returns UDFs with IncludeFields only when named.
var (
	companyFields    = []string{"id", "companyName", "parentCompanyID", "lastTrackedModifiedDateTime"}
	contactFields    = []string{"id", "companyID", "firstName", "lastName", "emailAddress", "phone", "isActive", "lastModifiedDate"}
	resourceFields   = []string{"id", "firstName", "lastName", "email", "officePhone", "title", "isActive"}
	contractFields   = []string{"id", "companyID", "contractName", "billToCompanyID"}
	portalUserFields = []string{"id", "contactID", "userName", "securityLevel", "isClientPortalActive"}
	projectFields    = []string{"id", "projectNumber", "projectName", "companyID", "projectType", "status", "contractID",
		"projectLeadResourceID", "description", "startDateTime", "endDateTime", "completedDateTime", "estimatedTime",
		"completedPercentage", "lastActivityDateTime"}
	phaseFields = []string{"id", "projectID", "parentPhaseID", "title", "startDate", "dueDate", "lastActivityDateTime"}
	taskFields  = []string{"id", "projectID", "phaseID", "taskNumber", "title", "description", "status",
		"isVisibleInClientPortal", "canClientPortalUserCompleteTask", "assignedResourceID", "priorityLabel",
		"startDateTime", "endDateTime", "completedDateTime", "createDateTime", "estimatedHours", "taskCategoryID",
		"externalID", "lastActivityDateTime"}
	secondaryFields   = []string{"id", "taskID", "resourceID"}
	projectNoteFields = []string{"id", "projectID", "title", "description", "publish", "creatorResourceID",
		"createdByContactID", "createDateTime", "lastActivityDate"}
	taskNoteFields = []string{"id", "taskID", "title", "description", "publish", "creatorResourceID",
		"createdByContactID", "createDateTime", "lastActivityDate"}
	ticketFields = []string{"id", "ticketNumber", "title", "description", "status", "priority", "companyID", "contractID",
		"assignedResourceID", "queueID", "ticketCategory", "createDate", "dueDateTime", "completedDate", "lastActivityDate"}
	ticketNoteFields = []string{"id", "ticketID", "title", "description", "publish", "creatorResourceID",
		"createdByContactID", "createDateTime", "lastActivityDate"}
	// fileSize cannot be queried, so it is not in IncludeFields: attachment
	// queries read whole records, which carry it.
	billingFields = []string{"id", "projectID", "ticketID", "taskID", "contractID", "companyID", "itemName", "itemDate", "quantity",
		"rate", "extendedPrice", "description", "postedOnTime", "timeEntryID", "expenseItemID", "milestoneID",
		"projectChargeID", "contractChargeID", "ticketChargeID", "serviceID", "serviceBundleID"}
	timeEntryFields = []string{"id", "resourceID", "hoursWorked"}
)

// udf returns a user-defined field's value ("" when absent or null).
func udf(fields []autotask.UDF, name string) string {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) && f.Value != nil {
			return strings.TrimSpace(*f.Value)
		}
	}
	return ""
}

// udfID reads a user-defined field holding a record id.
func udfID(fields []autotask.UDF, name string) *int64 {
	v, err := strconv.ParseInt(udf(fields, name), 10, 64)
	if err != nil || v <= 0 {
		return nil
	}
	return &v
}

// udfIDs reads a user-defined field holding ",id,id," (the team contacts).
func udfIDs(fields []autotask.UDF, name string) []int64 {
	var out []int64
	for _, v := range strings.Split(udf(fields, name), ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// date is the calendar date of an Autotask date field, which Autotask
// sends as midnight ("2026-01-05T00:00:00Z").
func date(t autotask.Time) *api.Date {
	if t.IsZero() {
		return nil
	}
	d := api.Date(t.UTC().Format("2006-01-02"))
	return &d
}

func timePtr(t autotask.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.UTC()
	return &v
}

// decode reads one record, reporting a body that does not fit as Autotask
// answering something portald cannot read (never a silently empty record).
func decode[T any](entity string, item autotask.Item) (T, error) {
	var v T
	if err := json.Unmarshal(item, &v); err != nil {
		return v, unreadable(entity, err)
	}
	return v, nil
}
