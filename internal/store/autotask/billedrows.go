package autotask

import (
	"context"

	"github.com/portalctl/portalctl/pkg/api"
)

// billedEmitter turns sorted billing items into rows in batches of at most
// 500 (or what the page still needs), looking up the time entries of a
// batch with one call, and its projects' and tasks' numbers and names with
// at most one call each (cached for CacheTTL: they rarely change, and
// paging through billed hours asks for the same few again and again).
type billedEmitter struct {
	s       *Store
	org     int64
	limit   int
	emitted int
	each    func(api.BilledHoursRow) error
	buf     []atBillingItem
}

func (e *billedEmitter) full() bool { return e.limit > 0 && e.emitted >= e.limit }

func (e *billedEmitter) add(ctx context.Context, i atBillingItem) error {
	e.buf = append(e.buf, i)
	size := maxIn
	if e.limit > 0 {
		size = min(size, e.limit-e.emitted)
	}
	if len(e.buf) >= size {
		return e.flush(ctx)
	}
	return nil
}

func (e *billedEmitter) flush(ctx context.Context) error {
	items := e.buf
	e.buf = nil
	if len(items) == 0 {
		return nil
	}
	var entries, projects, tasks, resources idSet
	for _, i := range items {
		entries.add(i.TimeEntryID)
		projects.add(i.ProjectID)
		tasks.add(i.TaskID)
	}
	worked := map[int64]atTimeEntry{}
	err := byIDs(ctx, e.s.c, "TimeEntries", entries.ids, []string{"id", "resourceID", "hoursWorked"},
		func(t atTimeEntry) error { worked[t.ID] = t; resources.add(t.ResourceID); return nil })
	if err != nil {
		return err
	}
	heads, err := e.s.projectHeads.lookup(ctx, projects.ids, func(ctx context.Context, ids []int64, put func(int64, atProject)) error {
		return byIDs(ctx, e.s.c, "Projects", ids, []string{"id", "projectNumber", "projectName", "companyID", "projectType"},
			func(p atProject) error { put(p.ID, p); return nil })
	})
	if err != nil {
		return err
	}
	taskHeads, err := e.s.taskHeads.lookup(ctx, tasks.ids, func(ctx context.Context, ids []int64, put func(int64, atTask)) error {
		return byIDs(ctx, e.s.c, "Tasks", ids, []string{"id", "taskNumber", "title"}, func(t atTask) error { put(t.ID, t); return nil })
	})
	if err != nil {
		return err
	}
	client, err := e.s.pickID(ctx, "Projects", "projectType", "client")
	if err != nil {
		return err
	}
	companies, err := e.s.companyMap(ctx)
	if err != nil {
		return err
	}
	n, err := e.s.names(ctx, resources, idSet{})
	if err != nil {
		return err
	}
	for _, i := range items {
		p, ok := heads[deref64(i.ProjectID)]
		if !ok || int64(p.ProjectType) != client || p.CompanyID == e.org {
			continue // not an end-client project
		}
		row := api.BilledHoursRow{ID: i.ID, ClientID: p.CompanyID, ClientName: companies[p.CompanyID].CompanyName,
			ProjectID: p.ID, ProjectNumber: p.ProjectNumber, ProjectName: p.ProjectName, TaskID: i.TaskID,
			WorkedDate: *date(i.ItemDate), HoursBilled: api.Decimal(i.Quantity), Rate: i.Rate.ptr(),
			Description: i.Description, BilledAt: timePtr(i.PostedDate)}
		if t, ok := taskHeads[deref64(i.TaskID)]; ok {
			row.TaskNumber, row.TaskTitle = &t.TaskNumber, &t.Title
		}
		if t, ok := worked[deref64(i.TimeEntryID)]; ok {
			row.HoursWorked, row.Resource = api.Decimal(t.HoursWorked), of(n.resources, t.ResourceID)
		}
		if row.Rate != nil {
			amount := row.HoursBilled.MulRound(*row.Rate)
			row.Amount = &amount
		}
		if err := e.each(row); err != nil {
			return err
		}
		if e.emitted++; e.full() {
			return nil
		}
	}
	return nil
}

func deref64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
