package sqlstore

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// endClientWhere adds "p is an end-client project of billing organization o":
// a client project of another organization whose contract, or the contract
// of one of its billing items, is billed to o (endClientWork).
func endClientWhere(w *where, o int64) {
	w.add(`p.type = 'client' AND `+endClientWork("p", "projects", "project_id"), o, o, o)
}

// IsBillingOrganization reports whether some contract bills orgID.
func (s *Store) IsBillingOrganization(ctx context.Context, orgID int64) (bool, error) {
	var n int
	err := s.r.QueryRow(ctx, `SELECT count(*) FROM contracts WHERE billing_organization_id = ?`, orgID).Scan(&n)
	return n > 0, err
}

// EndClients lists the organizations owning end-client projects or
// tickets of billingOrgID.
func (s *Store) EndClients(ctx context.Context, billingOrgID int64) ([]api.EndClient, error) {
	var w, wt where
	endClientWhere(&w, billingOrgID)
	endClientTicketWhere(&wt, billingOrgID)
	return list(ctx, s.r, `SELECT o.id, o.name FROM organizations o
		WHERE o.id IN (SELECT p.organization_id FROM projects p`+w.sql()+`)
		OR o.id IN (SELECT t.organization_id FROM tickets t`+wt.sql()+`) ORDER BY o.name, o.id`, append(w.args, wt.args...),
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
	billed := `, ` + hoursBilledTo("project_id", "p.id")
	args := append([]any{q.BillingOrgID}, w.args...)
	return stream(ctx, s.r, projectSelect+billed+projectFrom+w.sql()+" ORDER BY p.id"+limit(q.Page), args,
		func(r Row) (api.EndClientProject, error) {
			var hours int64
			p, err := scanProject(r, &hours)
			return api.EndClientProject{Project: p, BilledHours: api.Decimal(hours)}, err
		}, each)
}
