package sqlstore

import (
	"context"
	"database/sql"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// Charges streams the non-labour billed items of q, by (item_date, id).
func (s *Store) Charges(ctx context.Context, q store.BilledHoursQuery, each func(api.Charge) error) error {
	var w where
	w.add(contractBilledTo("c.contract_id"), q.BillingOrgID)
	billedProjectScope(&w, q, "c.project_id")
	if q.From != "" {
		w.add("c.item_date >= ?", string(q.From))
	}
	if q.To != "" {
		w.add("c.item_date <= ?", string(q.To))
	}
	w.after(q.Page, "c.item_date", "c.id")
	return stream(ctx, s.r, `SELECT c.id, p.organization_id, o.name, p.id, p.number, p.name, c.task_id, c.kind, c.item_date,
		c.name, c.description, c.quantity, c.rate, c.amount, c.billed_at
		FROM charges c JOIN projects p ON p.id = c.project_id JOIN organizations o ON o.id = p.organization_id`+w.sql()+
		` ORDER BY c.item_date, c.id`+limit(q.Page), w.args, scanCharge, each)
}

func scanCharge(r Row) (api.Charge, error) {
	var c api.Charge
	var task, rate, amount sql.NullInt64
	var day nullDate
	var billed nullTime
	var quantity int64
	err := r.Scan(&c.ID, &c.ClientID, &c.ClientName, &c.ProjectID, &c.ProjectNumber, &c.ProjectName, &task, &c.Kind, &day,
		&c.Name, &c.Description, &quantity, &rate, &amount, &billed)
	c.TaskID, c.Date, c.Quantity, c.Rate, c.Amount, c.BilledAt = nInt(task), day.value(), api.Decimal(quantity), nDec(rate), nDec(amount), billed.t
	return c, err
}
