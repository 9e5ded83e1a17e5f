package atstore

import (
	"context"
	"slices"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/pkg/api"
)

// billingItems pulls posted billing items by their posting instant
// (postedOnTime) with a generous lookback: an item posted late keeps an
// old id and item date, so neither id nor date finds it, but its
// postedOnTime is when it was posted. Items are upserted by id, so reading
// one again is harmless.
//
// Only labour (an item billing a time entry) is billed hours: its quantity
// is hours, its amount extendedPrice, its billed_at postedOnTime; hours
// worked and the resource come from the time entry. Every other item
// (expense, milestone, charge, service) is a charge, kept apart with its
// quantity in units. Labour is written through Import, as any billing
// item, so that whatever the store records of billing-item writes it
// records for the copy too.
func (p *pass) billingItems(ctx context.Context) error {
	return pull(ctx, p, pullSpec[atBillingItem]{entity: "BillingItems", fields: billingFields, changed: "postedOnTime",
		lookback: p.y.o.PostingLookback, stamp: func(b atBillingItem) autotask.Time { return b.PostedOnTime },
		id: func(b atBillingItem) int64 { return b.ID }, write: p.writeBilling})
}

func (p *pass) writeBilling(ctx context.Context, batch []atBillingItem) ([]int64, error) {
	// Items without a contract are never billed to an end client's billing
	// organization, nor are items of neither a project nor a ticket: the
	// portal has no place for them. A ticket's charges (not labour) are
	// left out too: charges are listed by project.
	batch = slices.DeleteFunc(slices.Clone(batch), func(b atBillingItem) bool {
		return !b.billsWork() || b.ContractID == nil || b.day() == nil
	})
	if len(batch) == 0 {
		return nil, nil
	}
	entries, err := p.timeEntries(ctx, batch)
	if err != nil {
		return nil, err
	}
	var later []int64
	var labour []*dataset.BillingItem
	err = p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
		r := newRefs(m)
		for _, b := range batch {
			r.needOpt("projects", b.ProjectID)
			r.needOpt("tickets", b.TicketID)
			r.need("contracts", *b.ContractID)
			r.needOpt("tasks", b.TaskID)
			if e, ok := entries[deref(b.TimeEntryID)]; ok {
				r.needOpt("resources", e.ResourceID)
			}
		}
		if err := r.load(); err != nil {
			return err
		}
		for _, b := range batch {
			if !b.parentIn(r) || !r.has("contracts", *b.ContractID) || (b.TaskID != nil && !r.has("tasks", *b.TaskID)) {
				later = append(later, b.ID)
				continue
			}
			if !b.isLabour() {
				if err := m.UpsertCharge(charge(b)); err != nil {
					return err
				}
				continue
			}
			e, ok := entries[*b.TimeEntryID]
			item := &dataset.BillingItem{ID: b.ID, ProjectID: deref(b.ProjectID), TicketID: b.TicketID, TaskID: b.TaskID, ContractID: *b.ContractID,
				WorkedDate: *b.day(), HoursBilled: api.Decimal(b.Quantity), HoursWorked: api.Decimal(b.Quantity),
				Rate: b.Rate.ptr(), Amount: b.ExtendedPrice.ptr(), Description: b.Description, BilledAt: timePtr(b.PostedOnTime)}
			if ok {
				item.HoursWorked, item.ResourceID = api.Decimal(e.HoursWorked), r.opt("resources", e.ResourceID)
			}
			labour = append(labour, item)
		}
		return nil
	})
	if err != nil || len(labour) == 0 {
		return later, err
	}
	err = p.y.db.Import(ctx, func(w dataset.Writer) error {
		for _, item := range labour {
			if err := w.Write(item); err != nil {
				return err
			}
		}
		return nil
	})
	return later, err
}

// billsWork: the item bills a project, or is labour on a ticket (a
// ticket's item never has a project: Autotask files ticket time apart).
func (b atBillingItem) billsWork() bool {
	return b.ProjectID != nil || (b.TicketID != nil && b.isLabour())
}

// parentIn reports whether the copy holds the project or ticket an item bills.
func (b atBillingItem) parentIn(r *refs) bool {
	if b.ProjectID != nil {
		return r.has("projects", *b.ProjectID)
	}
	return r.has("tickets", *b.TicketID)
}

// timeEntries reads the time entries of a batch's labour items: at most
// 500 ids per query (Autotask caps a query at 500 OR conditions).
func (p *pass) timeEntries(ctx context.Context, batch []atBillingItem) (map[int64]atTimeEntry, error) {
	var ids []int64
	for _, b := range batch {
		if b.isLabour() {
			ids = append(ids, *b.TimeEntryID)
		}
	}
	out := map[int64]atTimeEntry{}
	for chunk := range slices.Chunk(ids, batchSize) {
		err := p.y.c.Query(ctx, "TimeEntries", autotask.Query{Filter: []autotask.Filter{autotask.In("id", chunk)}, IncludeFields: timeEntryFields},
			func(item autotask.Item) error {
				e, err := decode[atTimeEntry]("TimeEntries", item)
				out[e.ID] = e
				return err
			})
		if err != nil {
			return nil, upstream(err)
		}
	}
	return out, nil
}

// charge maps a non-labour billing item.
func charge(b atBillingItem) sqlstore.Charge {
	c := sqlstore.Charge{ID: b.ID, ProjectID: *b.ProjectID, ContractID: *b.ContractID, TaskID: b.TaskID, Kind: b.chargeKind(),
		ItemDate: string(*b.day()), Name: b.ItemName, Description: b.Description, Quantity: int64(b.Quantity),
		Rate: hundredths(b.Rate), Amount: hundredths(b.ExtendedPrice)}
	if t := timePtr(b.PostedOnTime); t != nil {
		c.BilledAt = t.Format("2006-01-02T15:04:05Z")
	}
	return c
}

func hundredths(d *atDec) *int64 {
	if d == nil {
		return nil
	}
	v := int64(*d)
	return &v
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// day is the day an item bills: its itemDate (the day worked), else the
// day it was posted.
func (b atBillingItem) day() *api.Date {
	if d := date(b.ItemDate); d != nil {
		return d
	}
	return date(b.PostedOnTime)
}
