package sqlstore

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
func (s *Store) IsBillingOrganization(ctx context.Context, orgID int64) (bool, error) {
	var n int
	err := s.r.QueryRow(ctx, `SELECT count(*) FROM contracts WHERE billing_organization_id = ?`, orgID).Scan(&n)
	return n > 0, err
}

// EndClients lists the organizations owning end-client projects of billingOrgID.
func (s *Store) EndClients(ctx context.Context, billingOrgID int64) ([]api.EndClient, error) {
	var w where
	endClientWhere(&w, billingOrgID)
	return list(ctx, s.r, `SELECT DISTINCT o.id, o.name FROM projects p
		JOIN organizations o ON o.id = p.organization_id`+w.sql()+` ORDER BY o.name, o.id`, w.args,
		func(r Row) (api.EndClient, error) {
			var c api.EndClient
			err := r.Scan(&c.ID, &c.Name)
			return c, err
		})
}

// EndClientProjects streams end-client projects with the hours billed to the
// billing organization, ordered by id.
func (s *Store) EndClientProjects(ctx context.Context, q store.EndClientQuery, each func(api.EndClientProject) error) error {
	var w where
	endClientWhere(&w, q.BillingOrgID)
	if q.ClientID > 0 {
		w.add("p.organization_id = ?", q.ClientID)
	}
	filterProjects(&w, q.ID, q.Number, q.IncludeCompleted)
	w.after(q.Page, "", "p.id")
	// SUM of bigint is numeric in PostgreSQL: cast back to integer hundredths.
	billed := `, CAST((SELECT COALESCE(SUM(b.hours_billed), 0) FROM billing_items b JOIN contracts k ON k.id = b.contract_id
		WHERE b.project_id = p.id AND k.billing_organization_id = ?) AS BIGINT)`
	args := append([]any{q.BillingOrgID}, w.args...)
	return stream(ctx, s.r, projectSelect+billed+projectFrom+w.sql()+" ORDER BY p.id"+limit(q.Page), args,
		func(r Row) (api.EndClientProject, error) {
			var hours int64
			p, err := scanProject(r, &hours)
			return api.EndClientProject{Project: p, BilledHours: api.Decimal(hours)}, err
		}, each)
}

// BilledHours streams billing items billed to the billing organization,
// ordered by (worked_date, id).
func (s *Store) BilledHours(ctx context.Context, q store.BilledHoursQuery, each func(api.BilledHoursRow) error) error {
	var w where
	// As for projects (scopeProjects): walk the (worked_date, id) index in
	// order instead of sorting every billed item of the contracts.
	w.add(`+b.contract_id IN (SELECT id FROM contracts WHERE billing_organization_id = ?)`, q.BillingOrgID)
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
	return stream(ctx, s.r, `SELECT b.id, o.id, o.name, p.id, p.number, p.name, t.id, t.number, t.title,
		r.first_name || ' ' || r.last_name, b.worked_date, b.hours_worked, b.hours_billed, b.rate, b.description, b.billed_at
		FROM billing_items b JOIN projects p ON p.id = b.project_id
		JOIN organizations o ON o.id = p.organization_id
		LEFT JOIN tasks t ON t.id = b.task_id
		LEFT JOIN resources r ON r.id = b.resource_id`+w.sql()+` ORDER BY b.worked_date, b.id`+limit(q.Page), w.args,
		scanBilledHours, each)
}

func scanBilledHours(r Row) (api.BilledHoursRow, error) {
	var row api.BilledHoursRow
	var taskID, rate sql.NullInt64
	var taskNumber, taskTitle, resource sql.NullString
	var worked nullDate
	var billedAt nullTime
	err := r.Scan(&row.ID, &row.ClientID, &row.ClientName, &row.ProjectID, &row.ProjectNumber, &row.ProjectName,
		&taskID, &taskNumber, &taskTitle, &resource, &worked, &row.HoursWorked, &row.HoursBilled, &rate,
		&row.Description, &billedAt)
	row.TaskID, row.TaskNumber, row.TaskTitle, row.Resource = nInt(taskID), nStr(taskNumber), nStr(taskTitle), nStr(resource)
	row.WorkedDate, row.Rate, row.BilledAt = worked.value(), nDec(rate), billedAt.t
	if row.Rate != nil {
		amount := row.HoursBilled.MulRound(*row.Rate)
		row.Amount = &amount
	}
	return row, err
}
