package dataset

// cycles reports organizations and phases that are their own ancestors.
func (ix *index) cycles(ps *Problems) {
	for id := range ix.orgParent {
		if onCycle(id, func(n int64) int64 { return ix.orgParent[n] }) {
			ps.add("organizations", ix.ids["organizations"][id], "parent_id", "cycle: organization %d is its own ancestor", id)
		}
	}
	for id := range ix.phases {
		if onCycle(id, func(n int64) int64 { return ix.phases[n][1] }) {
			ps.add("phases", ix.ids["phases"][id], "parent_phase_id", "cycle: phase %d is its own ancestor", id)
		}
	}
}

// onCycle follows parent links from start and reports whether it comes back
// to start. Links leading to a cycle elsewhere stop after len-many steps.
func onCycle(start int64, parent func(int64) int64) bool {
	n := parent(start)
	for steps := 0; n != 0 && steps < 1_000_000; steps++ {
		if n == start {
			return true
		}
		n = parent(n)
	}
	return false
}

// check2 is pass 2: checks that every reference names an existing record
// (and, for phases and tasks, one of the same project).
func (ix *index) check2(ps *Problems, kind string, i int, rec any) {
	c := checker{ps, kind, i}
	ref := func(field, target string, id *int64) {
		if id != nil && !ix.has(target, *id) {
			c.bad(field, "no %s with id %d", singular[target], *id)
		}
	}
	must := func(field, target string, id int64) { ref(field, target, &id) }
	switch r := rec.(type) {
	case *Organization:
		ref("parent_id", "organizations", r.ParentID)
	case *Contact:
		must("organization_id", "organizations", r.OrganizationID)
		if !systemLevels[r.SecurityLevel] && !ix.levels[r.SecurityLevel] {
			c.bad("security_level", "unknown security level %q (define it in security_levels or use basic, advanced, manager)", r.SecurityLevel)
		}
	case *Contract:
		must("organization_id", "organizations", r.OrganizationID)
		ref("billing_organization_id", "organizations", r.BillingOrganizationID)
	case *Project:
		must("organization_id", "organizations", r.OrganizationID)
		ref("contract_id", "contracts", r.ContractID)
		ref("lead_resource_id", "resources", r.LeadResourceID)
	case *Phase:
		must("project_id", "projects", r.ProjectID)
		if r.ParentPhaseID != nil {
			if p, ok := ix.phases[*r.ParentPhaseID]; !ok {
				c.bad("parent_phase_id", "no phase with id %d", *r.ParentPhaseID)
			} else if p[0] != r.ProjectID {
				c.bad("parent_phase_id", "phase %d belongs to project %d, not %d", *r.ParentPhaseID, p[0], r.ProjectID)
			}
		}
	case *Task:
		must("project_id", "projects", r.ProjectID)
		if r.PhaseID != nil {
			if p, ok := ix.phases[*r.PhaseID]; !ok {
				c.bad("phase_id", "no phase with id %d", *r.PhaseID)
			} else if p[0] != r.ProjectID {
				c.bad("phase_id", "phase %d belongs to project %d, not %d", *r.PhaseID, p[0], r.ProjectID)
			}
		}
		ref("contact_id", "contacts", r.ContactID)
		ref("assigned_resource_id", "resources", r.AssignedResourceID)
		ref("completed_by_contact_id", "contacts", r.CompletedByContactID)
		ref("contract_id", "contracts", r.ContractID)
	case *TeamMember:
		must("project_id", "projects", r.ProjectID)
		ref("resource_id", "resources", r.ResourceID)
		ref("contact_id", "contacts", r.ContactID)
	case *ProjectNote:
		must("project_id", "projects", r.ProjectID)
		ref("author_resource_id", "resources", r.AuthorResourceID)
		ref("author_contact_id", "contacts", r.AuthorContactID)
	case *TaskNote:
		must("task_id", "tasks", r.TaskID)
		ref("author_resource_id", "resources", r.AuthorResourceID)
		ref("author_contact_id", "contacts", r.AuthorContactID)
	case *Attachment:
		must("project_id", "projects", r.ProjectID)
		ix.sameProjectTask(c, r.TaskID, r.ProjectID)
	case *Event:
		must("project_id", "projects", r.ProjectID)
	case *Ticket:
		must("organization_id", "organizations", r.OrganizationID)
		ref("contract_id", "contracts", r.ContractID)
		ref("assigned_resource_id", "resources", r.AssignedResourceID)
	case *TicketNote:
		must("ticket_id", "tickets", r.TicketID)
		ref("author_resource_id", "resources", r.AuthorResourceID)
		ref("author_contact_id", "contacts", r.AuthorContactID)
	case *BillingItem:
		if r.ProjectID != 0 {
			must("project_id", "projects", r.ProjectID)
			ix.sameProjectTask(c, r.TaskID, r.ProjectID)
		}
		ref("ticket_id", "tickets", r.TicketID)
		ref("resource_id", "resources", r.ResourceID)
		must("contract_id", "contracts", r.ContractID)
	}
}

func (ix *index) sameProjectTask(c checker, taskID *int64, projectID int64) {
	if taskID == nil {
		return
	}
	if p, ok := ix.taskProj[*taskID]; !ok {
		c.bad("task_id", "no task with id %d", *taskID)
	} else if p != projectID {
		c.bad("task_id", "task %d belongs to project %d, not %d", *taskID, p, projectID)
	}
}

var singular = map[string]string{
	"organizations": "organization", "contacts": "contact", "resources": "resource", "contracts": "contract",
	"projects": "project", "phases": "phase", "tasks": "task", "tickets": "ticket",
}
