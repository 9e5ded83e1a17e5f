package atstore

import (
	"context"
	"slices"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// Removals leave no trace to pull (a deleted note, an unposted billing
// item), so each entity the copy mirrors is counted in Autotask and in the
// copy (one call each): billing items every pass, the rest every
// RemovalsEvery. Only when the counts differ are the ids listed (one call
// per 500) and the ones Autotask no longer has removed. Billing items are
// checked over UnpostWindow only: once invoiced an item cannot be
// unposted.

// reconcileSpec compares one entity with its tables (billing items are
// labour rows and charges).
type reconcileSpec struct {
	entity string
	filter []autotask.Filter // what of the entity the copy holds
	tables []string
	cond   string // the same rows of each table
	args   []any
	remove func(ctx context.Context, ids []int64) error
}

func (p *pass) reconcile(ctx context.Context, all bool) error {
	y := p.y
	projectPublished, _ := p.picks["ProjectNotes"].id("publish", "all_autotask_users")
	taskPublished, _ := p.picks["TaskNotes"].id("publish", "all_autotask_users")
	ticketPublished, _ := p.picks["TicketNotes"].id("publish", "all_autotask_users")
	since := p.start.Add(-y.o.UnpostWindow)
	del := func(table string) func(context.Context, []int64) error {
		return func(ctx context.Context, ids []int64) error {
			return y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error { return m.Delete(table, ids) })
		}
	}
	// What writeBilling keeps: items of a project, and labour on a ticket.
	billed := []autotask.Filter{autotask.Gte("postedOnTime", since), autotask.Exist("contractID"),
		autotask.Or(autotask.Exist("projectID"), autotask.And(autotask.Exist("ticketID"), autotask.Exist("timeEntryID")))}
	specs := []reconcileSpec{{entity: "BillingItems", filter: billed, tables: []string{"billing_items", "charges"},
		cond: "billed_at >= ?", args: []any{sqlTime(since)}, remove: func(ctx context.Context, ids []int64) error {
			// Through the billing feed: an exported item is reversed.
			if err := y.db.RemoveBillingItems(ctx, ids); err != nil {
				return err
			}
			return del("charges")(ctx, ids)
		}}}
	if all {
		specs = append(specs,
			reconcileSpec{entity: "Tasks", tables: []string{"tasks"}, remove: p.removeUnlessBilled("tasks", "task_id")},
			reconcileSpec{entity: "Phases", tables: []string{"phases"}, remove: del("phases")},
			reconcileSpec{entity: "ProjectNotes", filter: []autotask.Filter{autotask.Eq("publish", projectPublished)}, tables: []string{"project_notes"},
				remove: del("project_notes")},
			reconcileSpec{entity: "TaskNotes", filter: []autotask.Filter{autotask.Eq("publish", taskPublished)}, tables: []string{"task_notes"},
				remove: del("task_notes")},
			reconcileSpec{entity: "Tickets", tables: []string{"tickets"}, remove: p.removeUnlessBilled("tickets", "ticket_id")},
			reconcileSpec{entity: "TicketNotes", filter: []autotask.Filter{autotask.Eq("publish", ticketPublished)},
				tables: []string{"ticket_notes"}, remove: del("ticket_notes")},
			// Active contacts on both sides: one deactivated in Autotask
			// arrives as a change, one deleted is deactivated here.
			reconcileSpec{entity: "Contacts", filter: []autotask.Filter{autotask.Eq("isActive", 1)}, tables: []string{"contacts"},
				cond: "active = TRUE", remove: p.deactivateContacts})
	}
	for _, s := range specs {
		if err := p.reconcileOne(ctx, s); err != nil {
			return err
		}
	}
	if !all {
		return nil
	}
	return p.reconcileAttachments(ctx)
}

// removeUnlessBilled removes from table the rows Autotask no longer has
// (a task, a ticket), except those the copy still holds billing items of
// (their column col must name an existing row): they go at a later check,
// once the removal of their items has been read. Deleting them at once
// failed every pass from then on, on the items' foreign key.
func (p *pass) removeUnlessBilled(table, col string) func(context.Context, []int64) error {
	return func(ctx context.Context, ids []int64) error {
		return p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
			billed := map[int64]bool{}
			for chunk := range slices.Chunk(ids, batchSize) {
				in, args := inList(chunk)
				if err := m.Query("SELECT DISTINCT "+col+" FROM billing_items WHERE "+col+" IN "+in, args, func(r sqlstore.Row) error {
					var id int64
					err := r.Scan(&id)
					billed[id] = true
					return err
				}); err != nil {
					return err
				}
			}
			return m.Delete(table, slices.DeleteFunc(ids, func(id int64) bool { return billed[id] }))
		})
	}
}

// deactivateContacts marks contacts Autotask no longer has inactive, which
// ends their portal access at the next request (even through a portald
// user link override) but keeps the rows the copy's tasks, notes and teams
// name. Deleting them would fail on those references, or lose them.
func (p *pass) deactivateContacts(ctx context.Context, ids []int64) error {
	return p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
		for chunk := range slices.Chunk(ids, batchSize) {
			in, args := inList(chunk)
			if err := m.Exec("UPDATE contacts SET active = FALSE WHERE id IN "+in, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

func sqlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// reconcileOne removes from the copy what Autotask no longer has.
func (p *pass) reconcileOne(ctx context.Context, s reconcileSpec) error {
	y := p.y
	var mine []int64
	for _, table := range s.tables {
		if err := y.db.IDs(ctx, table, s.cond, s.args, func(id int64) error { mine = append(mine, id); return nil }); err != nil {
			return err
		}
	}
	n, err := y.c.Count(ctx, s.entity, s.filter)
	if err != nil {
		return upstream(err)
	}
	if n == len(mine) {
		return nil
	}
	theirs := map[int64]bool{}
	err = y.c.Query(ctx, s.entity, autotask.Query{Filter: s.filter, IncludeFields: []string{"id"}}, func(item autotask.Item) error {
		r, err := decode[struct{ ID int64 }](s.entity, item)
		theirs[r.ID] = true
		return err
	})
	if err != nil {
		return upstream(err)
	}
	gone := slices.DeleteFunc(mine, func(id int64) bool { return theirs[id] })
	if len(gone) == 0 {
		return nil
	}
	y.log.Info("autotask sync: removing what Autotask no longer has", "entity", s.entity, "count", len(gone))
	return s.remove(ctx, gone)
}

// reconcileAttachments compares the attachments of up to 500 projects at a
// time: attachment queries must name their parent.
func (p *pass) reconcileAttachments(ctx context.Context) error {
	var projects []int64
	if err := p.y.db.IDs(ctx, "projects", "", nil, func(id int64) error { projects = append(projects, id); return nil }); err != nil {
		return err
	}
	for chunk := range slices.Chunk(projects, batchSize) {
		in, list := inList(chunk)
		cond := "project_id IN " + in
		spec := reconcileSpec{entity: "ProjectAttachments", tables: []string{"attachments"}, cond: cond, args: list,
			filter: []autotask.Filter{autotask.In("projectID", chunk), autotask.Eq("publish", attachmentPublished)},
			remove: func(ctx context.Context, ids []int64) error {
				return p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error { return m.Delete("attachments", ids) })
			}}
		if err := p.reconcileOne(ctx, spec); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}
