package atemu

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The emulator's entities, fields, types, required and non-queryable fields
// and its routes come from testdata/autotask-schema.json, extracted from
// Autotask's swagger, field lists generated from live metadata and the REST
// help pages (testdata/SOURCES.md; internal/tools/atschema writes it). What
// those sources do not hold is added below, each with its reason:
// picklist values (tenant data, chosen here), portald's UDFs, the fields
// Autotask sets itself, and each entity's last-change field.

//go:embed testdata/autotask-schema.json
var schemaJSON []byte

// Data types as the extract and entityInformation/fields name them. The
// filter engine compares by them: numbers as numbers, datetimes as instants.
const (
	tInt  = "integer"
	tLong = "long"
	tDec  = "double"
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
	required bool   // on create: isRequired in the live metadata
	readOnly bool   // set by Autotask; ignored in create/patch bodies
	noQuery  bool   // refused in filters and IncludeFields (help pages)
	picks    []pick // non-nil: a picklist field
}

type entity struct {
	name   string
	fields []field
	udfs   []string // user-defined field names records carry
	// changed is the field Autotask stamps whenever the record changes
	// ("" when the entity has none): the sync pulls by it.
	changed string
	// parentFields name the fields an attachment query must filter on
	// (Autotask 2021.1: attachment queries include the parent object).
	parentFields []string
	doubles      map[string]bool // the fields of type double
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
// position of the portal's enum: a store must map them by label. Labels
// are Autotask's (docs/autotask.md §9), except where a tenant names its own.
var (
	projectStatus = []pick{{7, "New"}, {12, "In Progress"}, {9, "On Hold"}, {21, "Inactive"}, {5, "Complete"}, {31, "Awaiting Parts"}}
	projectType   = []pick{{5, "Client"}, {4, "Internal"}, {1, "Proposal"}, {2, "Template"}, {8, "Baseline"}}
	taskStatus    = []pick{{11, "New"}, {8, "In Progress"}, {7, "Waiting Customer"}, {13, "On Hold"}, {5, "Complete"}, {31, "Awaiting Parts"}}
	taskPriority  = []pick{{9, "Low"}, {3, "Medium"}, {1, "High"}, {6, "Critical"}}
	taskCategory  = []pick{{2, "Standard"}, {14, "Issue"}}
	taskType      = []pick{{1, "Fixed Work"}, {2, "Fixed Duration"}} // Autotask's own ids (docs/autotask.md §9)
	notePublish   = []pick{{1, "All Autotask Users"}, {2, "Internal Project Team"}, {4, "Internal & Co-Managed"}}
	// noteType: note types are per tenant; the real Client Portal files its
	// notes as "Client Portal Note" (findings 2026-12-autotask §0.10).
	noteType = []pick{{3, "Task Detail"}, {13, "Client Portal Note"}}
	// billingItemType: 1 is labour (the recorded item); the other labels are
	// the emulator's (portald keys labour on timeEntryID, not on this).
	billingItemType = []pick{{1, "Labor"}, {2, "Expense"}, {3, "Milestone"}, {4, "Charge"}, {5, "Service"}}
	// Tickets share the "Task & ticket statuses" list (docs/autotask.md §9);
	// their priority is a picklist of its own, with ids unlike the tasks'
	// so that a store reading one through the other fails. Queues and
	// ticket categories are tenant data: these are the names the demo data
	// gives, and a seed naming another fails.
	ticketPriority = []pick{{12, "Low"}, {15, "Medium"}, {17, "High"}, {19, "Critical"}}
	ticketQueue    = []pick{{29682833, "Service Desk"}, {29682834, "Field Services"}, {29682835, "Projects Desk"}}
	ticketCategory = []pick{{3, "Standard"}, {101, "Hardware"}, {102, "Email"}, {103, "Network"}}
	// ticketNotePublish: TicketNotes' own publish list, the same three
	// values as the project notes' on the live instances the public
	// connectors read (docs/autotask.md §9).
	ticketNotePublish = []pick{{1, "All Autotask Users"}, {2, "Internal Project Team"}, {4, "Internal & Co-Managed"}}
	// ticketNoteType: per tenant; the German tenant of the public sources
	// has 18 "Kundenportal-Notiz" (Client Portal Note).
	ticketNoteType = []pick{{1, "Task Summary"}, {3, "Task Notes"}, {18, "Client Portal Note"}}
)

// Ids of the picklist values seeding needs, by the portal's enum names.
var (
	projectStatusID  = map[string]int{"new": 7, "in_progress": 12, "on_hold": 9, "inactive": 21, "complete": 5}
	projectTypeID    = map[string]int{"client": 5, "internal": 4, "proposal": 1, "template": 2}
	taskStatusID     = map[string]int{"new": 11, "in_progress": 8, "waiting_customer": 7, "on_hold": 13, "complete": 5}
	taskPriorityID   = map[string]int{"low": 9, "medium": 3, "high": 1, "critical": 6}
	ticketPriorityID = map[string]int{"low": 12, "medium": 15, "high": 17, "critical": 19}
)

const (
	categoryStandard = 2
	categoryIssue    = 14
	noteTypePortal   = 13
	// ticketNoteTypePortal is "Client Portal Note" of the TicketNotes list.
	ticketNoteTypePortal = 18
)

// SecurityLevelIDs are the ClientPortalUsers securityLevel values the
// emulator seeds for the portal's levels. Autotask publishes no list of
// them (only Taskfire's 4 and 5), so they are random-looking on purpose:
// portald must be told the mapping, as an administrator tells it on a real
// tenant (portald serve --autotask-security-levels).
var SecurityLevelIDs = map[string]int{"basic": 21, "advanced": 22, "manager": 23}

// overlay is what the extract does not say about an entity.
type overlay struct {
	picks    map[string][]pick
	udfs     []string
	readOnly []string // besides id: set by Autotask (fixtures, docs)
	changed  string
	parents  []string
}

var overlays = map[string]overlay{
	"Companies": {changed: "lastTrackedModifiedDateTime", readOnly: []string{"createDate", "lastActivityDate", "lastTrackedModifiedDateTime"}},
	"Contacts":  {changed: "lastModifiedDate", readOnly: []string{"createDate", "lastActivityDate", "lastModifiedDate"}},
	"Projects": {picks: map[string][]pick{"projectType": projectType, "status": projectStatus},
		udfs: []string{"Portal Team Contacts"}, changed: "lastActivityDateTime",
		readOnly: []string{"projectNumber", "createDateTime", "lastActivityDateTime", "actualBilledHours", "actualHours"}},
	"Phases": {changed: "lastActivityDateTime", readOnly: []string{"createDate", "lastActivityDateTime"}},
	"Tasks": {picks: map[string][]pick{"status": taskStatus, "priorityLabel": taskPriority, "taskCategoryID": taskCategory,
		"taskType": taskType}, udfs: []string{"Portal Contact", "Portal Completed By"}, changed: "lastActivityDateTime",
		readOnly: []string{"taskNumber", "createDateTime", "completedDateTime", "lastActivityDateTime", "remainingHours"}},
	"ProjectNotes": {picks: map[string][]pick{"publish": notePublish, "noteType": noteType}, changed: "lastActivityDate",
		readOnly: []string{"createDateTime", "lastActivityDate"}},
	"TaskNotes": {picks: map[string][]pick{"publish": notePublish, "noteType": noteType}, changed: "lastActivityDate",
		readOnly: []string{"createDateTime", "lastActivityDate"}},
	// Tickets: ticketNumber ("T20260106.0001", as taskNumber), createDate,
	// completedDate and the activity stamps are Autotask's.
	"Tickets": {picks: map[string][]pick{"status": taskStatus, "priority": ticketPriority, "queueID": ticketQueue,
		"ticketCategory": ticketCategory}, changed: "lastActivityDate",
		readOnly: []string{"ticketNumber", "createDate", "completedDate", "lastActivityDate", "lastTrackedModificationDateTime"}},
	"TicketNotes": {picks: map[string][]pick{"publish": ticketNotePublish, "noteType": ticketNoteType}, changed: "lastActivityDate",
		readOnly: []string{"createDateTime", "lastActivityDate"}},
	"ProjectAttachments": {readOnly: []string{"attachDate", "fileSize"}, parents: []string{"projectID", "parentID", "projectNoteID"}},
	"AttachmentInfo": {readOnly: []string{"attachDate", "fileSize"}, parents: []string{"projectID", "parentID", "projectNoteID",
		"taskID", "taskNoteID", "ticketID", "ticketNoteID", "companyID", "contractID", "timeEntryID", "expenseReportID",
		"opportunityID", "resourceID", "configurationItemID", "documentID", "articleID", "salesOrderID"}},
	"BillingItems": {picks: map[string][]pick{"billingItemType": billingItemType}, readOnly: []string{"postedDate", "postedOnTime"}},
	"TimeEntries":  {changed: "lastModifiedDateTime", readOnly: []string{"createDateTime", "lastModifiedDateTime"}},
}

// extract is testdata/autotask-schema.json.
type extract struct {
	Entities map[string]struct {
		Fields map[string]struct {
			Type     string `json:"type"`
			Required bool   `json:"required"`
			NoQuery  bool   `json:"noQuery"`
		} `json:"fields"`
	} `json:"entities"`
	Routes   []string          `json:"routes"`
	Children map[string]string `json:"children"`
}

var (
	entities []*entity
	routes   []route
)

func init() {
	var x extract
	if err := json.Unmarshal(schemaJSON, &x); err != nil {
		panic("atemu: testdata/autotask-schema.json: " + err.Error())
	}
	names := make([]string, 0, len(x.Entities))
	for name := range x.Entities {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		o := overlays[name]
		e := &entity{name: name, udfs: o.udfs, changed: o.changed, parentFields: o.parents, doubles: map[string]bool{}}
		fields := x.Entities[name].Fields
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f := fields[k]
			e.fields = append(e.fields, field{name: k, typ: f.Type, required: f.Required, noQuery: f.NoQuery,
				picks: o.picks[k], readOnly: k == "id" || contains(o.readOnly, k)})
			if f.Type == tDec {
				e.doubles[k] = true
			}
		}
		entities = append(entities, e)
	}
	checkOverlays()
	for _, r := range x.Routes {
		routes = append(routes, parseRoute(r, x.Children))
	}
	routes = append(routes, nextPageRoutes()...)
}

// checkOverlays refuses an overlay naming a field the extract does not
// have: the hand-written part may only describe sourced fields.
func checkOverlays() {
	for name, ov := range overlays {
		ent := lookupEntity(name)
		if ent == nil {
			panic("atemu: overlay for unknown entity " + name)
		}
		all := append(append(append([]string{}, ov.readOnly...), ov.parents...), ov.changed)
		for f := range ov.picks {
			all = append(all, f)
		}
		for _, f := range all {
			if f != "" && ent.field(f) == nil {
				panic(fmt.Sprintf("atemu: overlay names %s.%s, which the schema extract does not have", name, f))
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func lookupEntity(name string) *entity {
	for _, e := range entities {
		if strings.EqualFold(e.name, name) {
			return e
		}
	}
	return nil
}
