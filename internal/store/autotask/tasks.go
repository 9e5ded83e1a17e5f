package autotask

import (
	"context"
	"strconv"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

var taskStatuses = map[string]bool{api.TaskNew: true, api.TaskInProgress: true, api.TaskWaitingCustomer: true,
	api.TaskOnHold: true, api.TaskComplete: true}

var taskPriorities = map[string]bool{api.PriorityLow: true, api.PriorityMedium: true, api.PriorityHigh: true, api.PriorityCritical: true}

// taskHeader is what a task row shows of its project.
type taskHeader struct {
	number, name string
	allTasks     bool           // every task is in scope (else only billedTasks)
	billedTasks  map[int64]bool // BilledToOrgID: tasks with a billing item billed to it
}

// taskProjects returns the projects whose tasks q may return: the scope's
// client projects, or the end-client projects of q.BilledToOrgID (all of
// whose tasks are billed to it when the project's contract is, else only
// the tasks with a billing item billed to it).
func (s *Store) taskProjects(ctx context.Context, q store.TaskQuery) (map[int64]taskHeader, error) {
	out := map[int64]taskHeader{}
	var f []at.Filter
	var ec endClientSet
	switch {
	case q.BilledToOrgID > 0:
		var err error
		if ec, err = s.endClient(ctx, q.BilledToOrgID); err != nil || len(ec.projectIDs) == 0 {
			return out, err
		}
		f = []at.Filter{ec.filter()}
	case len(q.Projects.OrgIDs) == 0:
		return out, nil
	default:
		var err error
		if f, err = s.scopeFilters(ctx, q.Projects); err != nil {
			return nil, err
		}
	}
	if q.ProjectID > 0 {
		f = append(f, at.Eq("id", q.ProjectID))
	}
	// My Open Tasks are on open projects only; other task lists show the
	// tasks of completed projects too.
	f, err := s.projectFilters(ctx, f, 0, "", q.OpenForContactID == 0, store.Page{})
	if err != nil {
		return nil, err
	}
	err = query(ctx, s.c, "Projects", f, []string{"id", "projectNumber", "projectName"}, 0, func(p atProject) error {
		h := taskHeader{number: p.ProjectNumber, name: p.ProjectName, allTasks: true}
		if q.BilledToOrgID > 0 {
			h.allTasks, h.billedTasks = ec.viaContract[p.ID], ec.billedTasks
		}
		out[p.ID] = h
		return nil
	})
	return out, err
}

// taskFilters pushes q's task conditions into the Tasks query.
func (s *Store) taskFilters(ctx context.Context, q store.TaskQuery, projectIDs []int64) ([]at.Filter, error) {
	pl, err := s.picklists(ctx, "Tasks")
	if err != nil {
		return nil, err
	}
	f := []at.Filter{at.Eq("isVisibleInClientPortal", true), anyIn("projectID", projectIDs)}
	if q.ID > 0 {
		f = append(f, at.Eq("id", q.ID))
	}
	if q.Number != "" {
		f = append(f, at.Eq("taskNumber", q.Number))
	}
	if q.IssuesOnly {
		issue, err := s.pickID(ctx, "Tasks", "taskCategoryID", "issue")
		if err != nil {
			return nil, err
		}
		f = append(f, at.Eq("taskCategoryID", issue))
	}
	if q.OpenForContactID > 0 {
		if complete, ok := pl.id("status", api.TaskComplete); ok {
			f = append(f, at.NotEq("status", complete))
		}
		mine := at.And(at.Eq(s.opt.UDFs.Contact, strconv.FormatInt(q.OpenForContactID, 10)).AsUDF(),
			at.Eq("canClientPortalUserCompleteTask", true))
		if waiting, ok := pl.id("status", api.TaskWaitingCustomer); ok {
			f = append(f, at.Or(mine, at.Eq("status", waiting)))
		} else {
			f = append(f, mine)
		}
	}
	if q.Page.After != nil {
		f = append(f, at.Gt("id", q.Page.After.ID))
	}
	return f, nil
}

// Tasks streams the visible tasks matching q, ordered by id: one query for
// the projects in scope, then one for their tasks (500 project ids per
// "in"), names looked up once per batch of 500 tasks.
func (s *Store) Tasks(ctx context.Context, q store.TaskQuery, each func(api.Task) error) error {
	return s.tasks(ctx, q, func(t atTask, task api.Task) error { return each(task) })
}

func (s *Store) tasks(ctx context.Context, q store.TaskQuery, each func(atTask, api.Task) error) error {
	projects, err := s.taskProjects(ctx, q)
	if err != nil || len(projects) == 0 {
		return err
	}
	ids := make([]int64, 0, len(projects))
	for id := range projects {
		ids = append(ids, id)
	}
	f, err := s.taskFilters(ctx, q, ids)
	if err != nil {
		return err
	}
	pl, err := s.picklists(ctx, "Tasks")
	if err != nil {
		return err
	}
	b := batcher[atTask]{flush: func(ts []atTask) error {
		var resources, contacts idSet
		for _, t := range ts {
			resources.add(t.AssignedResourceID)
			contacts.add(udfID(t.UDFs, s.opt.UDFs.Contact))
			contacts.add(udfID(t.UDFs, s.opt.UDFs.CompletedBy))
		}
		n, err := s.names(ctx, resources, contacts)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if err := each(t, s.toTask(t, projects[t.ProjectID], pl, n)); err != nil {
				return err
			}
		}
		return nil
	}}
	limit, n := q.Page.Limit, 0
	pageSize := limit // billed-to lists skip some tasks, so they read whole pages
	if q.BilledToOrgID > 0 {
		pageSize = 0
	}
	err = query(ctx, s.c, "Tasks", f, taskFields, pageSize, func(t atTask) error {
		if h := projects[t.ProjectID]; !h.allTasks && !h.billedTasks[t.ID] {
			return nil
		}
		if n++; limit > 0 && n > limit {
			return errStop
		}
		return b.add(t)
	})
	if err != nil {
		return err
	}
	return b.done()
}

func (s *Store) toTask(t atTask, p taskHeader, pl picklists, n names) api.Task {
	status := pl.name("status", t.Status)
	if !taskStatuses[status] {
		status = api.TaskInProgress
	}
	var priority *string
	if v := pl.name("priorityLabel", t.PriorityLabel); taskPriorities[v] {
		priority = &v
	}
	contact := udfID(t.UDFs, s.opt.UDFs.Contact)
	return api.Task{ID: t.ID, Number: t.TaskNumber, Title: t.Title, Description: t.Description, Status: status,
		Priority: priority, IsIssue: pl.name("taskCategoryID", t.TaskCategoryID) == "issue",
		ProjectID: t.ProjectID, ProjectNumber: p.number, ProjectName: p.name, PhaseID: t.PhaseID,
		ContactID: contact, ContactName: of(n.contacts, contact), AssignedResource: of(n.resources, t.AssignedResourceID),
		ClientCompletable: bool(t.CanClientPortalUserCompleteTask), StartDate: date(t.StartDateTime),
		DueDate: date(t.EndDateTime), CompletedAt: timePtr(t.CompletedDateTime),
		CompletedBy: of(n.contacts, udfID(t.UDFs, s.opt.UDFs.CompletedBy)), CreatedAt: timePtr(t.CreateDateTime)}
}

// ScheduleTasks returns the tasks matching q ordered by position, id; the
// positions come from the project's phases and all its tasks (hidden ones
// too), numbered as Phases explains.
func (s *Store) ScheduleTasks(ctx context.Context, q store.TaskQuery) ([]store.ScheduleTask, error) {
	out := []store.ScheduleTask{}
	var raw []atTask
	err := s.tasks(ctx, q, func(t atTask, task api.Task) error {
		raw = append(raw, t)
		out = append(out, store.ScheduleTask{Task: task})
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	pos := positions(nil, raw)
	if q.ProjectID > 0 {
		phases, err := s.projectPhases(ctx, q.ProjectID)
		if err != nil {
			return nil, err
		}
		var all []atTask
		err = query(ctx, s.c, "Tasks", []at.Filter{at.Eq("projectID", q.ProjectID)}, []string{"id", "phaseID"}, 0,
			func(t atTask) error { all = append(all, t); return nil })
		if err != nil {
			return nil, err
		}
		pos = positions(phases, all)
	}
	for i := range out {
		out[i].Position = pos.tasks[out[i].ID]
	}
	sortByPosition(out, func(t store.ScheduleTask) (int, int64) { return t.Position, t.ID })
	return out, nil
}

// TaskAssignee returns the resource a task is assigned to.
func (s *Store) TaskAssignee(ctx context.Context, taskID int64) (store.Resource, error) {
	var assigned *int64
	found := false
	err := query(ctx, s.c, "Tasks", []at.Filter{at.Eq("id", taskID)}, []string{"id", "assignedResourceID"}, 1,
		func(t atTask) error { assigned, found = t.AssignedResourceID, true; return nil })
	if err != nil {
		return store.Resource{}, err
	}
	if !found || assigned == nil {
		return store.Resource{}, store.ErrNotFound
	}
	return s.Resource(ctx, *assigned)
}
