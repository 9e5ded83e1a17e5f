package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// itemChangesSQL selects every item with a change in (since, until] (the
// current version's position; the end of a superseded or removed version,
// or the start of one superseded only after until), with three versions
// of it: the current one if it was already current at
// until (b), else the superseded one current at until (ha), and the one
// current at since (hb). Each comes with the scope it had: the
// organization it was billed to as an export row and its client. Only
// items billed to the organization at either end are read. The snapshot
// holds no position above the newest, so until = newest reads no ha.
var itemChangesSQL = `SELECT c.id,
	b.project_id, b.task_id, b.resource_id, b.worked_date, b.hours_worked, b.hours_billed, b.rate, b.amount, b.description,
	b.billed_at, CASE WHEN p.type = 'client' THEN k.billing_organization_id END, p.organization_id,
	` + historyCols("ha") + `,
	` + historyCols("hb") + `
	FROM (SELECT id FROM billing_items WHERE position > ? AND position <= ? AND id >= ?
		UNION SELECT item_id FROM billing_item_history WHERE superseded_at > ? AND position <= ? AND item_id >= ?) c
	LEFT JOIN billing_items b ON b.id = c.id AND b.position <= ?
	LEFT JOIN contracts k ON k.id = b.contract_id
	LEFT JOIN projects p ON p.id = b.project_id
	LEFT JOIN billing_item_history ha ON ha.item_id = c.id AND ha.position <= ? AND ha.superseded_at > ?
	LEFT JOIN billing_item_history hb ON hb.item_id = c.id AND hb.position <= ? AND hb.superseded_at > ?
	WHERE (k.billing_organization_id = ? OR ha.billing_org_id = ? OR hb.billing_org_id = ?)
	ORDER BY c.id`

func historyCols(h string) string {
	cols := strings.Split("project_id, task_id, resource_id, worked_date, hours_worked, hours_billed, rate, amount, description, "+
		"billed_at, billing_org_id, client_id", ", ")
	for i, c := range cols {
		cols[i] = h + "." + c
	}
	return strings.Join(cols, ", ")
}

// itemVersionRow is one version of an item as itemChangesSQL reads it;
// every column is NULL when there is no such version.
type itemVersionRow struct {
	projectID, taskID, resourceID, hoursWorked, hoursBilled, rate, amount, billingOrg, clientID sql.NullInt64
	workedDate                                                                                  nullDate
	description                                                                                 sql.NullString
	billedAt                                                                                    nullTime
}

func (v *itemVersionRow) dest() []any {
	return []any{&v.projectID, &v.taskID, &v.resourceID, &v.workedDate, &v.hoursWorked, &v.hoursBilled, &v.rate, &v.amount,
		&v.description, &v.billedAt, &v.billingOrg, &v.clientID}
}

func (v *itemVersionRow) exists() bool { return v.projectID.Valid }

// inView reports whether the version was a row of q's export.
func (v *itemVersionRow) inView(q store.BilledHoursQuery) bool {
	d := v.workedDate.value()
	return v.exists() && v.billingOrg.Valid && v.billingOrg.Int64 == q.BillingOrgID && v.clientID.Int64 != q.BillingOrgID &&
		(q.ClientID == 0 || v.clientID.Int64 == q.ClientID) && (q.ProjectID == 0 || v.projectID.Int64 == q.ProjectID) &&
		(q.From == "" || d >= q.From) && (q.To == "" || d <= q.To)
}

// sameRow reports whether two versions make the same export row (the
// contract, not shown, may differ).
func (v *itemVersionRow) sameRow(o *itemVersionRow) bool {
	return v.projectID == o.projectID && v.taskID == o.taskID && v.resourceID == o.resourceID &&
		v.workedDate.value() == o.workedDate.value() && v.hoursWorked == o.hoursWorked && v.hoursBilled == o.hoursBilled &&
		v.rate == o.rate && v.amount == o.amount && v.description == o.description && v.billedAt.value().Equal(o.billedAt.value()) &&
		v.clientID == o.clientID
}

// billedChanges streams the entries of the changes in (Since, Until] (see
// store.BillingFeed) from the transaction c, whose newest position is
// newest.
func (s *Store) billedChanges(ctx context.Context, c Conn, q store.BilledHoursQuery, newest int64, each func(api.BilledHoursRow) error) error {
	since, until := q.Changes.Since, q.Changes.Until
	if until == 0 {
		until = newest
	}
	if since < 0 || since > until || until > newest {
		return fmt.Errorf("billing feed: changes in (%d, %d] asked of a feed at %d", since, until, newest)
	}
	names, err := readChangeNames(ctx, c, since, until)
	if err != nil {
		return err
	}
	var start int64
	skipReversal := false
	if a := q.Page.After; a != nil {
		start, skipReversal = a.ID, a.Value == api.EntryReversal
		if !skipReversal {
			start++
		}
	}
	o := q.BillingOrgID
	rows, err := c.Query(ctx, itemChangesSQL, since, until, start, since, until, start, until, until, until, since, since, o, o, o)
	if err != nil {
		return err
	}
	defer rows.Close()
	sent := 0
	emit := func(id int64, v *itemVersionRow, entry string) (bool, error) {
		if skipReversal && id == start && entry == api.EntryReversal {
			return false, nil
		}
		r, err := names.row(id, v, entry)
		if err == nil {
			err = each(r)
		}
		sent++
		return q.Page.Limit > 0 && sent >= q.Page.Limit, err
	}
	for rows.Next() {
		var id int64
		var cur, later, before itemVersionRow
		dest := append(append(append([]any{&id}, cur.dest()...), later.dest()...), before.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		after := &cur
		if !cur.exists() {
			after = &later
		}
		was, is := before.inView(q), after.inView(q)
		if was && is && before.sameRow(after) {
			continue
		}
		var done bool
		if was {
			if done, err = emit(id, &before, api.EntryReversal); err != nil || done {
				return err
			}
		}
		if is {
			entry := api.EntryNew
			if was {
				entry = api.EntryCorrection
			}
			if done, err = emit(id, after, entry); err != nil || done {
				return err
			}
		}
	}
	return rows.Err()
}

// changeNames label the entries of a run of changes: the projects, tasks
// and clients the versions name, read in the same snapshot.
type changeNames struct {
	billedNames
	clients map[int64]string
}

func readChangeNames(ctx context.Context, c Conn, since, until int64) (*changeNames, error) {
	n := &changeNames{billedNames: billedNames{projects: map[int64]*billedProject{}, tasks: map[int64]*billedTask{},
		resources: map[int64]*string{}}, clients: map[int64]string{}}
	// Every version read: current ones changed in the range, superseded
	// ones current at either end (both ended after since).
	ids := func(col string) string {
		return `(SELECT ` + col + ` FROM billing_items WHERE position > ? AND position <= ?
			UNION SELECT ` + col + ` FROM billing_item_history WHERE superseded_at > ? AND position <= ?)`
	}
	args := []any{since, until, since, until}
	var w where
	w.add("p.id IN "+ids("project_id"), args...)
	err := n.readProjectsAndTasks(ctx, c, w)
	if err == nil {
		err = n.readTasks(ctx, c, `WHERE t.id IN `+ids("task_id"), args)
	}
	if err == nil {
		err = n.readResources(ctx, c, "", nil)
	}
	if err == nil {
		err = stream(ctx, c, `SELECT id, name FROM organizations`, nil, func(r Row) (struct{}, error) {
			var id int64
			var name string
			err := r.Scan(&id, &name)
			n.clients[id] = name
			return struct{}{}, err
		}, none)
	}
	return n, err
}

// row is the export row of version v of item id; a reversal negates the
// hours and the amount.
func (n *changeNames) row(id int64, v *itemVersionRow, entry string) (api.BilledHoursRow, error) {
	p, ok := n.projects[v.projectID.Int64]
	if !ok {
		return api.BilledHoursRow{}, fmt.Errorf("billing item %d: project %d not found", id, v.projectID.Int64)
	}
	sign := api.Decimal(1)
	if entry == api.EntryReversal {
		sign = -1
	}
	r := api.BilledHoursRow{ID: id, Entry: entry, ClientID: v.clientID.Int64, ClientName: n.clients[v.clientID.Int64],
		ProjectID: v.projectID.Int64, ProjectNumber: p.number, ProjectName: p.name, WorkedDate: v.workedDate.value(),
		HoursWorked: sign * api.Decimal(v.hoursWorked.Int64), HoursBilled: sign * api.Decimal(v.hoursBilled.Int64),
		Description: v.description.String, BilledAt: v.billedAt.t}
	if v.taskID.Valid {
		if t := n.tasks[v.taskID.Int64]; t != nil {
			r.TaskID, r.TaskNumber, r.TaskTitle = &t.id, &t.number, &t.title
		}
	}
	if v.resourceID.Valid {
		r.Resource = n.resources[v.resourceID.Int64]
	}
	if v.rate.Valid {
		rate := api.Decimal(v.rate.Int64)
		amount := sign * api.Decimal(v.hoursBilled.Int64).MulRound(rate)
		r.Rate, r.Amount = &rate, &amount
	}
	if v.amount.Valid { // the amount invoiced, when the data gives it (Autotask's extendedPrice)
		amount := sign * api.Decimal(v.amount.Int64)
		r.Amount = &amount
	}
	return r, nil
}
