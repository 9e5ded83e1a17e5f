package atemu

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"golang.org/x/crypto/bcrypt"
)

// Seed loads a file in the portal import format, validated by
// internal/dataset, and maps every record onto Autotask entities (see the
// mapping table in docs/autotask.md). Ids are kept. Portal logins stay
// outside Autotask, so usernames, passwords and security levels are dropped.
func (s *Server) Seed(data []byte) error {
	_, err := dataset.Import(context.Background(), bytes.NewReader(data), s, dataset.Options{BcryptCost: bcrypt.MinCost})
	return err
}

// Import implements dataset.Target: the records arrive validated, in
// dependency order, under the lock.
func (s *Server) Import(_ context.Context, fill func(w dataset.Writer) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seed = &seedState{firstTask: map[int64]int64{}, onTeam: map[int64]map[int64]bool{}, charged: map[int64]bool{}}
	defer func() { s.seed = nil }()
	return fill(seedWriter{s})
}

// seedState remembers, per project, what the team rows need: the lowest
// task id and the resources already on the team as lead or assignee.
type seedState struct {
	firstTask map[int64]int64
	onTeam    map[int64]map[int64]bool
	secondary int64 // last TaskSecondaryResources id
	charged   map[int64]bool
}

type seedWriter struct{ s *Server }

func (sw seedWriter) Write(rec any) error {
	s, st := sw.s, sw.s.seed
	switch r := rec.(type) {
	case *dataset.Organization:
		s.add("Companies", r.ID, row{"companyName": r.Name, "parentCompanyID": optID(r.ParentID),
			"isActive": true, "companyType": 1.0}, nil)
	case *dataset.Contact:
		s.add("Contacts", r.ID, row{"companyID": id(r.OrganizationID), "firstName": r.FirstName, "lastName": r.LastName,
			"emailAddress": optText(r.Email), "phone": optText(r.Phone), "isActive": flag(r.Active)}, nil)
		if r.Username != "" {
			s.add("ClientPortalUsers", clientPortalUserBase+r.ID, row{"contactID": id(r.ID), "userName": r.Username,
				"securityLevel": float64(s.levelID(r.SecurityLevel)), "isClientPortalActive": r.PortalEnabled,
				"dateFormat": 1.0, "numberFormat": 1.0, "timeFormat": 1.0}, nil)
		}
	case *dataset.Resource:
		s.add("Resources", r.ID, row{"firstName": r.FirstName, "lastName": r.LastName, "email": optText(r.Email),
			"officePhone": optText(r.Phone), "title": optText(r.Title), "isActive": r.Active}, nil)
	case *dataset.Contract:
		s.add("Contracts", r.ID, row{"companyID": id(r.OrganizationID), "contractName": r.Name,
			"billToCompanyID": optID(r.BillingOrganizationID)}, nil)
	case *dataset.Project:
		s.add("Projects", r.ID, row{"projectNumber": r.Number, "projectName": r.Name, "companyID": id(r.OrganizationID),
			"projectType": pickID(projectTypeID, r.Type, "client"), "status": pickID(projectStatusID, r.Status, "new"),
			"contractID": optID(r.ContractID), "projectLeadResourceID": optID(r.LeadResourceID),
			"description": optText(r.Description), "startDateTime": date(r.StartDate), "endDateTime": date(r.EndDate),
			"completedDateTime": stamp(r.CompletedAt), "estimatedTime": dec(r.EstimatedHours),
			"completedPercentage": dec(r.PercentComplete)}, nil)
		if r.LeadResourceID != nil {
			st.team(r.ID)[*r.LeadResourceID] = true
		}
	case *dataset.Phase:
		s.add("Phases", r.ID, row{"projectID": id(r.ProjectID), "parentPhaseID": optID(r.ParentPhaseID),
			"title": r.Title, "startDate": date(r.StartDate), "dueDate": date(r.DueDate)}, nil)
	case *dataset.Task:
		s.seedTask(r)
	case *dataset.TeamMember:
		s.seedTeam(r)
	case *dataset.ProjectNote:
		n := note(r.Title, r.Body, r.Published, r.AuthorResourceID, r.AuthorContactID, r.CreatedAt, "projectID", r.ProjectID)
		n["isAnnouncement"] = false
		s.add("ProjectNotes", r.ID, n, nil)
	case *dataset.TaskNote:
		s.add("TaskNotes", r.ID, note(r.Subject, r.Body, r.Published, r.AuthorResourceID, r.AuthorContactID, r.CreatedAt,
			"taskID", r.TaskID), nil)
	case *dataset.Attachment:
		if r.TaskID != nil {
			// A task's attachment is a TaskAttachments record in Autotask,
			// not one of the project's: the bridge reads only the latter.
			break
		}
		s.add("ProjectAttachments", r.ID, row{"parentID": id(r.ProjectID), "projectID": id(r.ProjectID), "title": r.Name,
			"fullPath": r.Name, "contentType": optText(r.ContentType), "attachDate": zoneless(r.CreatedAt), "publish": 1.0,
			"attachmentType": "FILE_ATTACHMENT", "fileSize": float64(len(r.Content)), "projectNoteID": nil}, nil)
		s.content[r.ID] = r.Content
	case *dataset.BillingItem:
		s.seedBilling(r)
	case *dataset.Ticket:
		return s.seedTicket(r)
	case *dataset.TicketNote:
		n := note(r.Title, r.Body, r.Published, r.AuthorResourceID, r.AuthorContactID, r.CreatedAt, "ticketID", r.TicketID)
		n["noteType"] = float64(ticketNoteTypePortal)
		s.add("TicketNotes", r.ID, n, nil)
	case *dataset.SecurityLevel:
		s.levelID(r.Name) // custom Client Portal levels have ids of their own
	case *dataset.Portal, *dataset.Event:
		// Not Autotask data: portal settings and levels stay local, and the
		// REST API has no project calendar.
	default:
		return fmt.Errorf("atemu: unexpected record %T", rec)
	}
	return nil
}

func (st *seedState) team(projectID int64) map[int64]bool {
	if st.onTeam[projectID] == nil {
		st.onTeam[projectID] = map[int64]bool{}
	}
	return st.onTeam[projectID]
}

func (s *Server) seedTask(r *dataset.Task) {
	category := float64(categoryStandard)
	if r.IsIssue {
		category = categoryIssue
	}
	created := stamp(r.CreatedAt)
	if created == nil { // Autotask always has one; a fixed one keeps seeds deterministic
		created = "2025-01-01T00:00:00Z"
	}
	s.add("Tasks", r.ID, row{"projectID": id(r.ProjectID), "phaseID": optID(r.PhaseID), "taskNumber": r.Number,
		"title": r.Title, "description": optText(r.Description), "status": pickID(taskStatusID, r.Status, "new"),
		"isVisibleInClientPortal": r.VisibleInPortal, "canClientPortalUserCompleteTask": r.ClientCompletable,
		"assignedResourceID": optID(r.AssignedResourceID), "assignedResourceRoleID": roleOf(r.AssignedResourceID), "priorityLabel": pickID(taskPriorityID, r.Priority, ""),
		"startDateTime": date(r.StartDate), "endDateTime": date(r.DueDate), "completedDateTime": stamp(r.CompletedAt),
		"estimatedHours": dec(r.EstimatedHours), "createDateTime": created, "taskType": 1.0, "taskCategoryID": category,
	}, map[string]any{"Portal Contact": optIDText(r.ContactID), "Portal Completed By": optIDText(r.CompletedByContactID)})
	st := s.seed
	if first, ok := st.firstTask[r.ProjectID]; !ok || r.ID < first {
		st.firstTask[r.ProjectID] = r.ID
	}
	if r.AssignedResourceID != nil {
		st.team(r.ProjectID)[*r.AssignedResourceID] = true
	}
}

// seedTeam maps a team row: a contact joins the project's "Portal Team
// Contacts" UDF (",id,id,"); a resource that is neither lead nor assignee
// becomes a secondary resource of the project's lowest-id task (a project
// without tasks cannot hold one, so the row is dropped).
func (s *Server) seedTeam(r *dataset.TeamMember) {
	st := s.seed
	if r.ContactID != nil {
		p := clone(s.tables["Projects"].rows[r.ProjectID])
		udf := p["userDefinedFields"].([]any)[0].(map[string]any)
		list, _ := udf["value"].(string)
		if list == "" {
			list = ","
		}
		udf["value"] = list + strconv.FormatInt(*r.ContactID, 10) + ","
		s.put("Projects", p)
		return
	}
	task, ok := st.firstTask[r.ProjectID]
	if r.ResourceID == nil || !ok || st.team(r.ProjectID)[*r.ResourceID] {
		return
	}
	st.team(r.ProjectID)[*r.ResourceID] = true
	st.secondary++
	s.add("TaskSecondaryResources", st.secondary, row{"taskID": id(task), "resourceID": id(*r.ResourceID)}, nil)
}

// seedBilling maps a billed labour item as Autotask holds one (the
// recorded item, testdata/real/billingitems_query_item.json): a labour
// BillingItem (billingItemType 1, subType 1, a timeEntryID) with its
// TimeEntry; itemDate and postedDate date-only, the posting instant in
// postedOnTime; invoiceID 0 until invoiced; extendedPrice is not quantity ×
// rate (the recorded item: 3.1750 × 100.0000 but 386.6450), so the
// emulator adds the same 21.78 % to it. Work on a ticket has a ticketID and
// no projectID, as the recorded item (ticket time). The first item of each
// project also brings a non-labour item on the same contract (an expense:
// quantity counts units, no time entry), as billing items hold every kind
// of charge.
func (s *Server) seedBilling(r *dataset.BillingItem) {
	var company, project any
	if r.TicketID != nil {
		if k := s.tables["Tickets"].rows[*r.TicketID]; k != nil {
			company = k["companyID"]
		}
	} else if p := s.tables["Projects"].rows[r.ProjectID]; p != nil {
		company, project = p["companyID"], id(r.ProjectID)
	}
	var rate, extended any
	if r.Rate != nil {
		rate = dec(r.Rate)
		extended = ExtendedPrice(dec(&r.HoursBilled).(float64), rate.(float64))
	}
	posted := postedOn(r)
	s.add("BillingItems", r.ID, row{"projectID": project, "ticketID": optID(r.TicketID), "taskID": optID(r.TaskID), "contractID": id(r.ContractID),
		"companyID": company, "itemDate": date(&r.WorkedDate), "quantity": dec(&r.HoursBilled), "rate": rate,
		"extendedPrice": extended, "totalAmount": 0.0, "invoiceID": 0.0, "billingItemType": 1.0, "subType": 1.0,
		"description": optText(r.Description), "postedDate": posted.Format("2006-01-02") + "T00:00:00Z",
		"postedOnTime": posted.Format(stampLayout), "timeEntryID": id(r.ID), "nonBillable": 0.0, "sortOrderID": 0.0}, nil)
	s.add("TimeEntries", r.ID, row{"taskID": optID(r.TaskID), "ticketID": optID(r.TicketID), "resourceID": optID(r.ResourceID),
		"dateWorked": date(&r.WorkedDate), "hoursWorked": dec(&r.HoursWorked), "hoursToBill": dec(&r.HoursBilled),
		"contractID": id(r.ContractID), "summaryNotes": optText(r.Description)}, nil)
	if st := s.seed; r.TicketID == nil && !st.charged[r.ProjectID] {
		st.charged[r.ProjectID] = true
		s.add("BillingItems", ExpenseItemBase+r.ProjectID, row{"projectID": id(r.ProjectID), "contractID": id(r.ContractID),
			"companyID": company, "itemDate": date(&r.WorkedDate), "quantity": 2.0, "rate": 45.5, "extendedPrice": 91.0,
			"totalAmount": 0.0, "invoiceID": 0.0, "billingItemType": 2.0, "subType": 2.0, "description": "Travel expense",
			"expenseItemID": id(r.ProjectID), "postedDate": posted.Format("2006-01-02") + "T00:00:00Z",
			"postedOnTime": posted.Format(stampLayout), "nonBillable": 0.0, "sortOrderID": 0.0}, nil)
	}
}

// ExpenseItemBase + a project id is the id of the expense billing item the
// seed adds to each project with billed labour (quantity 2 units at 45.50,
// extendedPrice 91.00).
const ExpenseItemBase = 8_000_000

// clientPortalUserBase + a contact id is the id of its ClientPortalUsers
// record.
const clientPortalUserBase = 3_000_000

// extendedMarkup is extendedPrice / (quantity × rate) of the recorded item.
const extendedMarkup = 386.6450 / (3.1750 * 100.0000)

// ExtendedPrice is the extendedPrice the seed gives a labour item of
// quantity at rate: not quantity × rate, as in the recorded item.
func ExtendedPrice(quantity, rate float64) float64 {
	return math.Round(quantity*rate*extendedMarkup*10000) / 10000
}

// postedOn is when an item was posted: its billed_at, else the day after
// the work at 08:52:54.023 UTC (the recorded item's time of day). Every
// Autotask billing item has been approved and posted.
func postedOn(r *dataset.BillingItem) time.Time {
	if r.BilledAt != nil {
		return r.BilledAt.UTC().Truncate(time.Millisecond)
	}
	d, _ := time.Parse("2006-01-02", string(r.WorkedDate))
	return d.AddDate(0, 0, 1).Add(8*time.Hour + 52*time.Minute + 54*time.Second + 23*time.Millisecond)
}

// levelID is the ClientPortalUsers securityLevel of a portal level: the
// system levels' SecurityLevelIDs, custom levels numbered from 101 in the
// order the seed meets them (s.mu held).
func (s *Server) levelID(name string) int {
	if id, ok := SecurityLevelIDs[name]; ok {
		return id
	}
	if id, ok := s.custom[name]; ok {
		return id
	}
	id := 101 + len(s.custom)
	s.custom[name] = id
	return id
}

// SecurityLevels maps every securityLevel value the seed used to the
// portal level it stands for: what an administrator configures portald
// with (portald serve --autotask-security-levels).
func (s *Server) SecurityLevels() map[int64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int64]string{}
	for name, id := range SecurityLevelIDs {
		out[int64(id)] = name
	}
	for name, id := range s.custom {
		out[int64(id)] = name
	}
	return out
}

type row = map[string]any

// add stores a seeded record: every field of the entity present (null
// when unset), the given UDF values, and the id (s.mu held).
func (s *Server) add(entity string, recID int64, fields row, udfs map[string]any) {
	e := lookupEntity(entity)
	rec := emptyRecord(e)
	for k, v := range fields {
		rec[k] = v
	}
	for _, u := range rec["userDefinedFields"].([]any) {
		m := u.(map[string]any)
		if v, ok := udfs[m["name"].(string)]; ok {
			m["value"] = v
		}
	}
	rec["id"] = id(recID)
	if e.changed != "" && rec[e.changed] == nil {
		s.stamp(e, rec)
	}
	s.put(entity, rec)
}

func note(title, body string, published bool, resource, contact *int64, created time.Time, parentField string, parent int64) row {
	publish := 2.0 // Internal Project Team
	if published {
		publish = 1 // All Autotask Users
	}
	return row{parentField: id(parent), "title": title, "description": body, "publish": publish, "noteType": float64(noteTypePortal),
		"creatorResourceID": optID(resource), "createdByContactID": optID(contact),
		"createDateTime": stamp(&created), "lastActivityDate": zoneless(created)}
}
