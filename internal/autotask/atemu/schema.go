package atemu

import "strings"

// Data types as entityInformation/fields names them. The filter engine
// compares by them: numbers as numbers, datetimes as instants.
const (
	tInt  = "integer"
	tLong = "long"
	tDec  = "decimal"
	tBool = "boolean"
	tStr  = "string"
	tTime = "datetime"
)

type pick struct {
	id    int
	label string
}

type field struct {
	name     string
	typ      string
	required bool   // on create (documented required fields of the entity)
	readOnly bool   // set by Autotask; ignored in create/patch bodies
	noQuery  bool   // refused in filters (docs/autotask.md §3)
	picks    []pick // non-nil: a picklist field
}

type entity struct {
	name      string
	fields    []field
	udfs      []string // user-defined field names records carry
	childOnly bool     // written only through the parent's path (POST /Tasks is a 404)
}

func (e *entity) field(name string) *field {
	for i := range e.fields {
		if strings.EqualFold(e.fields[i].name, name) {
			return &e.fields[i]
		}
	}
	return nil
}

func (e *entity) hasUDF(name string) bool {
	for _, u := range e.udfs {
		if strings.EqualFold(u, name) {
			return true
		}
	}
	return false
}

// Picklist ids are chosen at random-looking values on purpose, never the
// position of the portal's enum: a store must map them by label.
var (
	projectStatus = []pick{{7, "New"}, {12, "In Progress"}, {9, "On Hold"}, {21, "Inactive"}, {5, "Complete"}, {31, "Awaiting Parts"}}
	projectType   = []pick{{5, "Client"}, {4, "Internal"}, {1, "Proposal"}, {2, "Template"}, {8, "Baseline"}}
	taskStatus    = []pick{{11, "New"}, {8, "In Progress"}, {7, "Waiting Customer"}, {13, "On Hold"}, {5, "Complete"}, {31, "Awaiting Parts"}}
	taskPriority  = []pick{{9, "Low"}, {3, "Medium"}, {1, "High"}, {6, "Critical"}}
	taskCategory  = []pick{{2, "Standard"}, {14, "Issue"}}
	taskType      = []pick{{1, "Fixed Work"}, {2, "Fixed Duration"}} // Autotask's own ids (docs/autotask.md §9)
	notePublish   = []pick{{1, "All Autotask Users"}, {2, "Internal Project Team"}, {4, "Internal & Co-Managed"}}
)

// Ids of the picklist values seeding needs, by the portal's enum names.
var (
	projectStatusID = map[string]int{"new": 7, "in_progress": 12, "on_hold": 9, "inactive": 21, "complete": 5}
	projectTypeID   = map[string]int{"client": 5, "internal": 4, "proposal": 1, "template": 2}
	taskStatusID    = map[string]int{"new": 11, "in_progress": 8, "waiting_customer": 7, "on_hold": 13, "complete": 5}
	taskPriorityID  = map[string]int{"low": 9, "medium": 3, "high": 1, "critical": 6}
)

const (
	categoryStandard = 2
	categoryIssue    = 14
)

func f(name, typ string) field { return field{name: name, typ: typ} }
func req(name, typ string) field {
	return field{name: name, typ: typ, required: true}
}
func ro(name, typ string) field { return field{name: name, typ: typ, readOnly: true} }
func pl(name string, required bool, picks []pick) field {
	return field{name: name, typ: tInt, required: required, picks: picks}
}

var entities = []*entity{
	{name: "Companies", fields: []field{ro("id", tLong), req("companyName", tStr), f("parentCompanyID", tInt),
		f("isActive", tBool), req("companyType", tInt), ro("createDate", tTime)}},
	{name: "Contacts", fields: []field{ro("id", tLong), req("companyID", tInt), req("firstName", tStr), req("lastName", tStr),
		f("emailAddress", tStr), f("phone", tStr), req("isActive", tInt), ro("createDate", tTime)}},
	{name: "Resources", fields: []field{ro("id", tLong), req("firstName", tStr), req("lastName", tStr), req("email", tStr),
		f("officePhone", tStr), f("title", tStr), req("isActive", tBool)}},
	{name: "Contracts", fields: []field{ro("id", tLong), req("companyID", tInt), req("contractName", tStr), f("billToCompanyID", tInt)}},
	{name: "Projects", udfs: []string{"Portal Team Contacts"}, fields: []field{ro("id", tLong), ro("projectNumber", tStr),
		req("projectName", tStr), req("companyID", tInt), pl("projectType", true, projectType), pl("status", true, projectStatus),
		f("contractID", tInt), f("projectLeadResourceID", tInt), f("description", tStr), req("startDateTime", tTime),
		req("endDateTime", tTime), f("completedDateTime", tTime), f("estimatedTime", tDec), f("completedPercentage", tInt),
		ro("createDateTime", tTime)}},
	{name: "Phases", childOnly: true, fields: []field{ro("id", tLong), req("projectID", tInt), f("parentPhaseID", tInt), req("title", tStr),
		f("startDate", tTime), f("dueDate", tTime), ro("createDate", tTime)}},
	{name: "Tasks", childOnly: true, udfs: []string{"Portal Contact", "Portal Completed By"}, fields: []field{ro("id", tLong),
		req("projectID", tInt), f("phaseID", tInt), ro("taskNumber", tStr), req("title", tStr), f("description", tStr),
		pl("status", true, taskStatus), f("isVisibleInClientPortal", tBool), f("canClientPortalUserCompleteTask", tBool),
		f("assignedResourceID", tInt), f("assignedResourceRoleID", tInt), pl("priorityLabel", false, taskPriority), f("startDateTime", tTime),
		f("endDateTime", tTime), ro("completedDateTime", tTime), f("estimatedHours", tDec), ro("createDateTime", tTime),
		pl("taskType", true, taskType), pl("taskCategoryID", false, taskCategory), f("externalID", tStr)}},
	{name: "TaskSecondaryResources", fields: []field{ro("id", tLong), req("taskID", tInt), req("resourceID", tInt), f("roleID", tInt)}},
	{name: "ProjectNotes", childOnly: true, fields: []field{ro("id", tLong), req("projectID", tInt), req("title", tStr), req("description", tStr),
		pl("publish", true, notePublish), req("noteType", tInt), f("creatorResourceID", tInt), f("createdByContactID", tInt),
		ro("createDateTime", tTime), ro("lastActivityDate", tTime)}},
	{name: "TaskNotes", fields: []field{ro("id", tLong), req("taskID", tInt), req("title", tStr), req("description", tStr),
		pl("publish", true, notePublish), req("noteType", tInt), f("creatorResourceID", tInt), f("createdByContactID", tInt),
		ro("createDateTime", tTime), ro("lastActivityDate", tTime)}},
	{name: "ProjectAttachments", childOnly: true, fields: []field{ro("id", tLong), req("parentID", tInt), req("projectID", tInt),
		f("projectNoteID", tInt), req("title", tStr), f("fullPath", tStr), f("contentType", tStr), ro("attachDate", tTime),
		req("publish", tInt), req("attachmentType", tStr), {name: "fileSize", typ: tLong, readOnly: true, noQuery: true}}},
	{name: "BillingItems", fields: []field{ro("id", tLong), f("projectID", tInt), f("taskID", tInt), f("contractID", tInt),
		f("companyID", tInt), f("itemDate", tTime), f("quantity", tDec), f("rate", tDec), f("extendedPrice", tDec),
		f("description", tStr), f("postedDate", tTime), f("timeEntryID", tLong)}},
	{name: "TimeEntries", fields: []field{ro("id", tLong), f("taskID", tInt), req("resourceID", tInt), req("dateWorked", tTime),
		req("hoursWorked", tDec), f("hoursToBill", tDec), f("contractID", tInt), f("summaryNotes", tStr)}},
}

// children maps "Parent/Child" URL segments to the child entity and the
// field of the child that holds the parent's id.
var children = map[string]struct{ entity, parentField string }{
	"projects/tasks":           {"Tasks", "projectID"},
	"projects/notes":           {"ProjectNotes", "projectID"},
	"projects/attachments":     {"ProjectAttachments", "projectID"},
	"projects/phases":          {"Phases", "projectID"},
	"tasks/notes":              {"TaskNotes", "taskID"},
	"tasks/secondaryresources": {"TaskSecondaryResources", "taskID"},
	"companies/contacts":       {"Contacts", "companyID"},
}

func lookupEntity(name string) *entity {
	for _, e := range entities {
		if strings.EqualFold(e.name, name) {
			return e
		}
	}
	return nil
}
