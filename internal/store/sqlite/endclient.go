package sqlite

import (
	"context"
	"database/sql"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// endClientWhere adds "p is an end-client project of billing organization o":
// a client project of another organization whose contract, or the contract
// of one of its billing items, is billed to o.
func endClientWhere(w *where, o int64) {
	w.add(`p.type = 'client' AND p.organization_id <> ? AND (
		EXISTS (SELECT 1 FROM contracts k WHERE k.id = p.contract_id AND k.billing_organization_id = ?)
		OR EXISTS (SELECT 1 FROM billing_items b JOIN contracts k ON k.id = b.contract_id
			WHERE b.project_id = p.id AND k.billing_organization_id = ?))`, o, o, o)
}

// IsBillingOrganization reports whether some contract bills orgID.
func (db *DB) IsBillingOrganization(ctx context.Context, orgID int64) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM contracts WHERE billing_organization_id = ?`, orgID).Scan(&n)
	return n > 0, err
}

// EndClients lists the organizations owning end-client projects of billingOrgID.
func (db *DB) EndClients(ctx context.Context, billingOrgID int64) ([]api.EndClient, error) {
	var w where
	endClientWhere(&w, billingOrgID)
	rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT o.id, o.name FROM projects p
		JOIN organizations o ON o.id = p.organization_id`+w.sql()+` ORDER BY o.name, o.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.EndClient{}
	for rows.Next() {
		var c api.EndClient
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EndClientProjects streams end-client projects with the hours billed to the
// billing organization, ordered by id.
func (db *DB) EndClientProjects(ctx context.Context, q store.EndClientQuery, each func(api.EndClientProject) error) error {
	var w where
	endClientWhere(&w, q.BillingOrgID)
	if q.ClientID > 0 {
		w.add("p.organization_id = ?", q.ClientID)
	}
	if q.ID > 0 {
		w.add("p.id = ?", q.ID)
	}
	if q.Number != "" {
		w.add("p.number = ?", q.Number)
	}
	if !q.IncludeCompleted {
		w.add("p.status <> 'complete'")
	}
	w.after(q.Page, "", "p.id")
	billed := `, (SELECT COALESCE(SUM(b.hours_billed), 0) FROM billing_items b JOIN contracts k ON k.id = b.contract_id
		WHERE b.project_id = p.id AND k.billing_organization_id = ?)`
	args := append([]any{q.BillingOrgID}, w.args...)
	rows, err := db.r.QueryContext(ctx, projectSelect+billed+projectFrom+w.sql()+" ORDER BY p.id"+limit(q.Page), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var hours int64
		p, err := scanProject(rows, &hours)
		if err != nil {
			return err
		}
		if err := each(api.EndClientProject{Project: p, BilledHours: api.Decimal(hours)}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BilledHours streams billing items billed to the billing organization,
// ordered by (worked_date, id).
func (db *DB) BilledHours(ctx context.Context, q store.BilledHoursQuery, each func(api.BilledHoursRow) error) error {
	var w where
	w.add(`b.contract_id IN (SELECT id FROM contracts WHERE billing_organization_id = ?)`, q.BillingOrgID)
	w.add(`p.type = 'client' AND p.organization_id <> ?`, q.BillingOrgID)
	if q.ClientID > 0 {
		w.add("p.organization_id = ?", q.ClientID)
	}
	if q.ProjectID > 0 {
		w.add("b.project_id = ?", q.ProjectID)
	}
	if q.From != "" {
		w.add("b.worked_date >= ?", string(q.From))
	}
	if q.To != "" {
		w.add("b.worked_date <= ?", string(q.To))
	}
	if q.AfterID > 0 {
		w.add("b.id > ?", q.AfterID)
	}
	w.after(q.Page, "b.worked_date", "b.id")
	rows, err := db.r.QueryContext(ctx, `SELECT b.id, o.id, o.name, p.id, p.number, p.name, t.id, t.number, t.title,
		r.first_name || ' ' || r.last_name, b.worked_date, b.hours_worked, b.hours_billed, b.rate, b.description, b.billed_at
		FROM billing_items b JOIN projects p ON p.id = b.project_id
		JOIN organizations o ON o.id = p.organization_id
		LEFT JOIN tasks t ON t.id = b.task_id
		LEFT JOIN resources r ON r.id = b.resource_id`+w.sql()+` ORDER BY b.worked_date, b.id`+limit(q.Page), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var row api.BilledHoursRow
		var taskID, rate sql.NullInt64
		var taskNumber, taskTitle, resource, billedAt sql.NullString
		var worked string
		if err := rows.Scan(&row.ID, &row.ClientID, &row.ClientName, &row.ProjectID, &row.ProjectNumber, &row.ProjectName,
			&taskID, &taskNumber, &taskTitle, &resource, &worked, &row.HoursWorked, &row.HoursBilled, &rate,
			&row.Description, &billedAt); err != nil {
			return err
		}
		row.TaskID, row.TaskNumber, row.TaskTitle, row.Resource = nInt(taskID), nStr(taskNumber), nStr(taskTitle), nStr(resource)
		row.WorkedDate, row.Rate, row.BilledAt = api.Date(worked), nDec(rate), nTime(billedAt)
		if row.Rate != nil {
			amount := row.HoursBilled.MulRound(*row.Rate)
			row.Amount = &amount
		}
		if err := each(row); err != nil {
			return err
		}
	}
	return rows.Err()
}
