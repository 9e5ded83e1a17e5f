package sqlstore

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// BilledHours streams billing items billed to the billing organization,
// ordered by (worked_date, id), from one snapshot (BilledHoursFeed).
func (s *Store) BilledHours(ctx context.Context, q store.BilledHoursQuery, each func(api.BilledHoursRow) error) error {
	return s.BilledHoursFeed(ctx, q, nil, each)
}

// BilledHoursFeed implements store.PortalData.BilledHoursFeed. Everything is read in one
// read transaction: the feed's position, the names and the rows, so a run
// never mixes snapshots, and the position it reports covers exactly the
// rows it sent.
//
// An export is a million rows. Joining each item to its organization,
// task and resource and reading their names was half of SQLite's work
// per row (a b-tree lookup each, and nine more columns through the
// driver), yet those are few and repeat: they are read once per request
// (readBilledNames) and the streamed query reads billing_items' columns
// only. Which items are shown is still decided by that one query: the
// names only label them. A row whose names are missing (a project billed
// item by item, a task on another project) ends the query; its names are
// read and the query resumes after the last row sent, in the same
// snapshot.
func (s *Store) BilledHoursFeed(ctx context.Context, q store.BilledHoursQuery, head func(store.FeedPosition) error, each func(api.BilledHoursRow) error) error {
	tx, err := s.r.BeginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var pos store.FeedPosition
	if err := tx.QueryRow(ctx, `SELECT feed_id, position FROM billing_feed WHERE id = 1`).Scan(&pos.Feed, &pos.Position); err != nil {
		return err
	}
	if head != nil {
		if err := head(pos); err != nil {
			return err
		}
	}
	if q.Changes != nil {
		return s.billedChanges(ctx, tx, q, pos.Position, each)
	}
	names, err := readBilledNames(ctx, tx, q)
	if err != nil {
		return err
	}
	return streamBilledHours(ctx, tx, q, names, each)
}

// streamBilledHours streams the rows labelled with names, reading what they
// miss on the way.
func streamBilledHours(ctx context.Context, c Conn, q store.BilledHoursQuery, names *billedNames, each func(api.BilledHoursRow) error) error {
	for {
		miss, err := streamBilled(ctx, c, &q, names, each)
		if err != nil || miss == nil {
			return err
		}
		if err := names.readMissing(ctx, c, *miss); err != nil {
			return err
		}
	}
}

// billedProjectScope adds the rules for the projects p whose billed items
// are shown: client projects of other organizations (the end clients),
// narrowed by the client filter, and the project filter on idCol.
func billedProjectScope(w *where, q store.BilledHoursQuery, idCol string) {
	w.add(clientProjectOfAnother, q.BillingOrgID)
	if q.ClientID > 0 {
		w.add("p.organization_id = ?", q.ClientID)
	}
	if q.ProjectID > 0 {
		w.add(idCol+" = ?", q.ProjectID)
	}
}

// billedWorkScope adds the rules for the work (itemWork: project p or
// ticket t) whose billed items b are shown: client projects and tickets
// of other organizations, narrowed by q's kind, client and project (on
// projectCol).
func billedWorkScope(w *where, q store.BilledHoursQuery, projectCol string) {
	switch {
	case q.Kind == store.WorkProject || q.ProjectID > 0:
		billedProjectScope(w, q, projectCol)
	case q.Kind == store.WorkTicket:
		w.add(`t.organization_id <> ?`, q.BillingOrgID)
		if q.ClientID > 0 {
			w.add("t.organization_id = ?", q.ClientID)
		}
	default:
		w.add(`(`+clientProjectOfAnother+` OR t.organization_id <> ?)`, q.BillingOrgID, q.BillingOrgID)
		if q.ClientID > 0 {
			w.add(itemClient+" = ?", q.ClientID)
		}
	}
}

// billedItemsWhere adds the rules for the billing items b the export shows
// and the summary totals, besides their work's (billedWorkScope):
// billed to the billing organization, within the dates. contractCol is
// b.contract_id as the query wants the planner to see it.
func billedItemsWhere(w *where, q store.BilledHoursQuery, contractCol string) {
	w.add(contractBilledTo(contractCol), q.BillingOrgID)
	if q.From != "" {
		w.add("b.worked_date >= ?", string(q.From))
	}
	if q.To != "" {
		w.add("b.worked_date <= ?", string(q.To))
	}
}

// streamBilled runs the query from q's position and sends rows until one
// misses a name, which it returns; q moves past every row sent, so that
// the caller can resume.
func streamBilled(ctx context.Context, c Conn, q *store.BilledHoursQuery, names *billedNames, each func(api.BilledHoursRow) error) (*billedMiss, error) {
	var w where
	// As for projects (scopeProjects): walk the (worked_date, id) index in
	// order instead of sorting every billed item of the contracts; the
	// unary + keeps SQLite from choosing the contract index instead. The
	// join with projects only checks the scope: PostgreSQL estimates a
	// join well, where an IN list over +b.project_id had it sort every
	// candidate row even for a page of 100.
	billedItemsWhere(&w, *q, "+b.contract_id")
	billedWorkScope(&w, *q, "b.project_id")
	if q.AfterID > 0 {
		w.add("b.id > ?", q.AfterID)
	}
	w.after(q.Page, "b.worked_date", "b.id")
	rows, err := c.Query(ctx, `SELECT b.id, b.project_id, b.ticket_id, b.task_id, b.resource_id, b.worked_date,
		b.hours_worked, b.hours_billed, b.rate, b.amount, b.description, b.billed_at
		FROM billing_items b `+itemWork+w.sql()+` ORDER BY b.worked_date, b.id`+limit(q.Page), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sc billedRowScan
	for rows.Next() {
		row, miss, err := sc.scan(rows, names)
		if err != nil || miss != nil {
			return miss, err
		}
		if err := each(row); err != nil {
			return nil, err
		}
		q.Page.After = &store.Key{Value: string(row.WorkedDate), ID: row.ID}
		if q.Page.Limit > 0 {
			if q.Page.Limit--; q.Page.Limit == 0 {
				return nil, nil
			}
		}
	}
	return nil, rows.Err()
}

// billedRowScan scans streamed rows into api.BilledHoursRow, reusing its
// scan targets; rows share the names and billed_at (read-only).
type billedRowScan struct {
	id, worked, billed                            int64Col
	projectID, ticketID, taskID, resourceID, rate nullInt64Col
	amount                                        nullInt64Col // when NULL, hours_billed × rate
	description                                   string
	date                                          dateCol
	billedAt                                      timeCol
}

func (r *billedRowScan) scan(rows Row, names *billedNames) (api.BilledHoursRow, *billedMiss, error) {
	if err := rows.Scan(&r.id, &r.projectID, &r.ticketID, &r.taskID, &r.resourceID, &r.date, &r.worked, &r.billed,
		&r.rate, &r.amount, &r.description, &r.billedAt); err != nil {
		return api.BilledHoursRow{}, nil, err
	}
	row := api.BilledHoursRow{ID: int64(r.id), Entry: api.EntryNew,
		WorkedDate: r.date.d, HoursWorked: api.Decimal(r.worked), HoursBilled: api.Decimal(r.billed),
		Description: r.description, BilledAt: r.billedAt.t}
	if r.ticketID.Valid {
		t, ok := names.tickets[r.ticketID.Int64]
		if !ok {
			return api.BilledHoursRow{}, &billedMiss{"ticket", r.ticketID.Int64}, nil
		}
		t.label(&row)
	} else {
		p, ok := names.projects[r.projectID.Int64]
		if !ok {
			return api.BilledHoursRow{}, &billedMiss{"project", r.projectID.Int64}, nil
		}
		p.label(&row)
	}
	if r.taskID.Valid {
		t, ok := names.tasks[r.taskID.Int64]
		if !ok {
			return api.BilledHoursRow{}, &billedMiss{"task", r.taskID.Int64}, nil
		}
		if t != nil {
			row.TaskID, row.TaskNumber, row.TaskTitle = &t.id, &t.number, &t.title
		}
	}
	if r.resourceID.Valid {
		var ok bool
		if row.Resource, ok = names.resources[r.resourceID.Int64]; !ok {
			return api.BilledHoursRow{}, &billedMiss{"resource", r.resourceID.Int64}, nil
		}
	}
	if r.rate.Valid {
		d := &struct{ rate, amount api.Decimal }{rate: api.Decimal(r.rate.Int64)}
		d.amount = row.HoursBilled.MulRound(d.rate)
		row.Rate, row.Amount = &d.rate, &d.amount
	}
	if r.amount.Valid {
		amount := api.Decimal(r.amount.Int64)
		row.Amount = &amount
	}
	return row, nil, nil
}
