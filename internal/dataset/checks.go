package dataset

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/portalctl/portalctl/internal/mailaddr"
	"github.com/portalctl/portalctl/pkg/api"
)

// index holds what pass 1 learns about ids, so pass 2 can check references
// in bounded memory (ids only, never whole records).
type index struct {
	ids       map[string]map[int64]int // kind → id → record index (for duplicates)
	orgParent map[int64]int64          // organization → parent (0 = none)
	phases    map[int64][2]int64       // phase → {project, parent phase}
	taskProj  map[int64]int64          // task → project
	usernames map[string]int           // lower-case username → contact index
	levels    map[string]bool          // custom security levels
	// late, when set (the one-pass import), collects the ids of the kinds
	// no record refers to instead of mapping them: 8 bytes an id instead of
	// a map entry, checked for duplicates once at the end.
	late map[string][]int64
}

// unreferenced are the kinds no record refers to.
var unreferenced = set("project_notes", "task_notes", "attachments", "events", "ticket_notes", "billing_items")

func newIndex() *index {
	ix := &index{ids: map[string]map[int64]int{}, orgParent: map[int64]int64{}, phases: map[int64][2]int64{},
		taskProj: map[int64]int64{}, usernames: map[string]int{}, levels: map[string]bool{}}
	for _, k := range Kinds {
		ix.ids[k] = map[int64]int{}
	}
	return ix
}

func (ix *index) has(kind string, id int64) bool { _, ok := ix.ids[kind][id]; return ok }

// register records an id, reporting a duplicate or a non-positive id.
func (ix *index) register(ps *Problems, kind string, i int, id int64) {
	if id == 0 {
		return // missing: reported as required
	}
	if id < 0 {
		ps.add(kind, i, "id", "must be a positive integer")
		return
	}
	if ix.late != nil && unreferenced[kind] {
		ix.late[kind] = append(ix.late[kind], id)
		return
	}
	if first, dup := ix.ids[kind][id]; dup {
		ps.add(kind, i, "id", "duplicate id %d (also %s)", id, path(kind, first, ""))
		return
	}
	ix.ids[kind][id] = i
}

// maxPasswordBytes is bcrypt's input limit: it refuses longer passwords.
const maxPasswordBytes = 72

var zones sync.Map // time zone name → error (nil when valid)

func validZone(name string) bool {
	if v, ok := zones.Load(name); ok {
		return v == nil
	}
	_, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		zones.Store(name, "invalid")
		return false
	}
	zones.Store(name, nil)
	return true
}

// checker accumulates problems for one record.
type checker struct {
	ps    *Problems
	kind  string
	index int
}

func (c checker) bad(field, format string, args ...any) {
	c.ps.add(c.kind, c.index, field, format, args...)
}

func (c checker) text(field, v string, max int) {
	if n := utf8.RuneCountInString(v); n > max {
		c.bad(field, "too long: %d characters (at most %d)", n, max)
	}
}

func (c checker) notBlank(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.bad(field, "must not be blank")
	}
}

// email checks an optional address with net/mail (mailaddr.Check): one
// bare address, no line break. Addresses go into email headers (To,
// Reply-To) and SMTP commands; a CR/LF in one would add headers.
func (c checker) email(field, v string) {
	if v == "" {
		return
	}
	if err := mailaddr.Check(v); err != nil {
		c.bad(field, "%s", err)
	}
}

func (c checker) enum(field, v string, allowed map[string]bool) {
	if !allowed[v] {
		c.bad(field, "unknown value %q (choose %s)", v, choices(allowed))
	}
}

func (c checker) date(field string, d *api.Date) {
	if d != nil {
		if _, err := api.ParseDate(string(*d)); err != nil {
			c.bad(field, "%s", err.Error())
		}
	}
}

func (c checker) hours(field string, d *api.Decimal) {
	if d != nil && *d < 0 {
		c.bad(field, "must not be negative")
	}
}

// check1 is pass 1: checks a record on its own and registers its ids.
func (ix *index) check1(ps *Problems, kind string, i int, rec any) {
	c := checker{ps, kind, i}
	switch r := rec.(type) {
	case *Portal:
		c.notBlank("support_email", r.SupportEmail)
		c.email("support_email", r.SupportEmail)
	case *Organization:
		ix.register(ps, kind, i, r.ID)
		c.notBlank("name", r.Name)
		if !validZone(r.TimeZone) {
			c.bad("time_zone", "unknown time zone %q (use an IANA name such as America/Chicago)", r.TimeZone)
		}
		if r.ParentID != nil {
			ix.orgParent[r.ID] = *r.ParentID
		}
	case *SecurityLevel:
		c.notBlank("name", r.Name)
		if systemLevels[r.Name] {
			c.bad("name", "%q is a system level and cannot be redefined", r.Name)
		} else if ix.levels[r.Name] {
			c.bad("name", "duplicate security level %q", r.Name)
		}
		ix.levels[r.Name] = true
		for j, p := range r.Permissions {
			if !permissions[p] {
				c.bad("permissions["+strconv.Itoa(j)+"]", "unknown permission %q (choose %s)", p, choices(permissions))
			}
		}
	case *Contact:
		ix.register(ps, kind, i, r.ID)
		c.email("email", r.Email)
		if r.Username != "" {
			if first, dup := ix.usernames[lower(r.Username)]; dup {
				c.bad("username", "duplicate username %q (also %s)", r.Username, path(kind, first, ""))
			} else {
				ix.usernames[lower(r.Username)] = i
			}
		}
		if r.Password != "" && r.PasswordHash != "" {
			c.bad("password", "give password or password_hash, not both")
		}
		if n := len(r.Password); n > maxPasswordBytes {
			// Caught here so the file is rejected with the record's path
			// instead of failing half-way in the hashing.
			c.bad("password", "too long: %d bytes (at most %d, all that bcrypt uses)", n, maxPasswordBytes)
		}
	case *Resource:
		ix.register(ps, kind, i, r.ID)
		c.email("email", r.Email)
	case *Contract:
		ix.register(ps, kind, i, r.ID)
	case *Project:
		ix.register(ps, kind, i, r.ID)
		c.notBlank("number", r.Number)
		c.text("name", r.Name, api.MaxTitle)
		c.enum("type", r.Type, projectTypes)
		c.enum("status", r.Status, projectStatuses)
		c.date("start_date", r.StartDate)
		c.date("end_date", r.EndDate)
		c.hours("estimated_hours", r.EstimatedHours)
	case *Phase:
		ix.register(ps, kind, i, r.ID)
		c.text("title", r.Title, api.MaxTitle)
		c.date("start_date", r.StartDate)
		c.date("due_date", r.DueDate)
		var parent int64
		if r.ParentPhaseID != nil {
			parent = *r.ParentPhaseID
		}
		ix.phases[r.ID] = [2]int64{r.ProjectID, parent}
	case *Task:
		ix.register(ps, kind, i, r.ID)
		ix.taskProj[r.ID] = r.ProjectID
		c.notBlank("number", r.Number)
		c.text("title", r.Title, api.MaxTitle)
		c.text("description", r.Description, api.MaxBody)
		c.enum("status", r.Status, taskStatuses)
		if r.Priority != "" {
			c.enum("priority", r.Priority, priorities)
		}
		c.date("start_date", r.StartDate)
		c.date("due_date", r.DueDate)
		c.hours("estimated_hours", r.EstimatedHours)
	case *TeamMember:
		if (r.ResourceID == nil) == (r.ContactID == nil) {
			c.bad("", "give exactly one of resource_id and contact_id")
		}
	case *ProjectNote:
		ix.register(ps, kind, i, r.ID)
		c.text("title", r.Title, api.MaxTitle)
		c.text("body", r.Body, api.MaxBody)
	case *TaskNote:
		ix.register(ps, kind, i, r.ID)
		c.text("subject", r.Subject, api.MaxSubject)
		c.text("body", r.Body, api.MaxBody)
	case *Attachment:
		ix.register(ps, kind, i, r.ID)
		c.notBlank("name", r.Name)
	case *Event:
		ix.register(ps, kind, i, r.ID)
		if r.EndsAt.Before(r.StartsAt) {
			c.bad("ends_at", "is before starts_at")
		}
	case *Ticket:
		ix.register(ps, kind, i, r.ID)
		c.notBlank("number", r.Number)
		c.text("title", r.Title, api.MaxTitle)
		c.text("description", r.Description, api.MaxBody)
		c.enum("status", r.Status, taskStatuses)
		if r.Priority != "" {
			c.enum("priority", r.Priority, priorities)
		}
	case *TicketNote:
		ix.register(ps, kind, i, r.ID)
		c.text("title", r.Title, api.MaxTitle)
		c.text("body", r.Body, api.MaxBody)
	case *BillingItem:
		ix.register(ps, kind, i, r.ID)
		if (r.ProjectID == 0) == (r.TicketID == nil) {
			c.bad("", "give exactly one of project_id and ticket_id")
		}
		if r.TicketID != nil && r.TaskID != nil {
			c.bad("task_id", "a ticket's billing item has no task")
		}
		c.date("worked_date", &r.WorkedDate)
		c.hours("hours_worked", &r.HoursWorked)
		c.hours("hours_billed", &r.HoursBilled)
		c.hours("rate", r.Rate)
	}
}
