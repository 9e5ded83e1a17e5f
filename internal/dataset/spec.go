package dataset

import (
	"reflect"
	"strings"
)

// spec describes one kind of record: its Go type, its defaults, its required
// fields (data-format.md's `*`), and its JSON field → struct field index.
type spec struct {
	typ      reflect.Type
	defaults func(rec any)
	required []string
	fields   map[string]int
	// requiredMask has bit i set when struct field i is required.
	requiredMask uint64
}

func (s *spec) new() any {
	rec := reflect.New(s.typ).Interface()
	if s.defaults != nil {
		s.defaults(rec)
	}
	return rec
}

var specs = map[string]*spec{
	"portal": {typ: reflect.TypeFor[Portal](), required: []string{"support_email"},
		defaults: func(r any) { r.(*Portal).OrganizationTerm = "Organization" }},
	"organizations": {typ: reflect.TypeFor[Organization](), required: []string{"id", "name"},
		defaults: func(r any) { o := r.(*Organization); o.TimeZone, o.NotifyResources = "America/New_York", true }},
	"security_levels": {typ: reflect.TypeFor[SecurityLevel](), required: []string{"name", "permissions"}},
	"contacts": {typ: reflect.TypeFor[Contact](), required: []string{"id", "organization_id", "first_name", "last_name"},
		defaults: func(r any) { c := r.(*Contact); c.SecurityLevel, c.PortalEnabled, c.Active = "basic", true, true }},
	"resources": {typ: reflect.TypeFor[Resource](), required: []string{"id", "first_name", "last_name"},
		defaults: func(r any) { r.(*Resource).Active = true }},
	"contracts": {typ: reflect.TypeFor[Contract](), required: []string{"id", "organization_id", "name"}},
	"projects": {typ: reflect.TypeFor[Project](), required: []string{"id", "number", "name", "organization_id", "status"},
		defaults: func(r any) { r.(*Project).Type = "client" }},
	"phases": {typ: reflect.TypeFor[Phase](), required: []string{"id", "project_id", "title", "position"}},
	"tasks": {typ: reflect.TypeFor[Task](), required: []string{"id", "project_id", "number", "title", "status", "position"},
		defaults: func(r any) { r.(*Task).VisibleInPortal = true }},
	"team":          {typ: reflect.TypeFor[TeamMember](), required: []string{"project_id"}},
	"project_notes": {typ: reflect.TypeFor[ProjectNote](), required: []string{"id", "project_id", "title", "body", "created_at"}, defaults: func(r any) { r.(*ProjectNote).Published = true }},
	"task_notes":    {typ: reflect.TypeFor[TaskNote](), required: []string{"id", "task_id", "subject", "body", "created_at"}, defaults: func(r any) { r.(*TaskNote).Published = true }},
	"attachments":   {typ: reflect.TypeFor[Attachment](), required: []string{"id", "project_id", "name", "content_base64", "created_at"}},
	"events":        {typ: reflect.TypeFor[Event](), required: []string{"id", "project_id", "title", "starts_at", "ends_at"}},
	"tickets":       {typ: reflect.TypeFor[Ticket](), required: []string{"id", "number", "title", "status", "organization_id", "created_at"}},
	"ticket_notes": {typ: reflect.TypeFor[TicketNote](), required: []string{"id", "ticket_id", "title", "body", "created_at"},
		defaults: func(r any) { r.(*TicketNote).Published = true }},
	"billing_items": {typ: reflect.TypeFor[BillingItem](), required: []string{"id", "contract_id", "worked_date", "hours_worked", "hours_billed"}},
}

func init() {
	for _, s := range specs {
		s.fields = map[string]int{}
		for i := range s.typ.NumField() {
			name, _, _ := strings.Cut(s.typ.Field(i).Tag.Get("json"), ",")
			s.fields[name] = i
		}
		for _, name := range s.required {
			s.requiredMask |= 1 << s.fields[name]
		}
	}
}

// Enumerations of the data format.
var (
	projectTypes    = set("client", "internal", "proposal", "template")
	projectStatuses = set("new", "in_progress", "on_hold", "inactive", "complete")
	taskStatuses    = set("new", "in_progress", "waiting_customer", "on_hold", "complete")
	priorities      = set("low", "medium", "high", "critical")
	permissions     = set("all_org_projects", "sub_organizations", "view_schedule", "email_team", "notes", "attachments", "add_issues")
	systemLevels    = set("basic", "advanced", "manager")
)

func set(vals ...string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

func choices(m map[string]bool) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return strings.Join(out, ", ")
}
