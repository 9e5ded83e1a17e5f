package sqlstore

import (
	"context"
	"database/sql"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// endClientTicketWhere adds "t is an end-client ticket of billing
// organization o": a ticket of another organization whose contract, or the
// contract of one of its billing items, is billed to o. As for projects
// (endClientWhere), the item test goes from o's contracts to the
// (ticket_id, contract_id) index.
func endClientTicketWhere(w *where, o int64) {
	w.add(endClientWork("t", "tickets", "ticket_id"), o, o, o)
}

// EndClientTickets streams end-client tickets with the hours billed to the
// billing organization, ordered by id.
func (s *Store) EndClientTickets(ctx context.Context, q store.EndClientTicketQuery, each func(api.EndClientTicket) error) error {
	var w where
	endClientTicketWhere(&w, q.BillingOrgID)
	if q.ClientID > 0 {
		w.add("t.organization_id = ?", q.ClientID)
	}
	if q.ID > 0 {
		w.add("t.id = ?", q.ID)
	}
	if q.Number != "" {
		w.add("t.number = ?", q.Number)
	}
	if !q.IncludeCompleted {
		w.add("t.status <> 'complete'")
	}
	w.after(q.Page, "", "t.id")
	args := append([]any{q.BillingOrgID}, w.args...)
	var sc ticketScan
	return stream(ctx, s.r, `SELECT t.id, t.number, t.title, t.description, t.status, t.priority, t.organization_id, o.name,
		t.contract_id, r.first_name || ' ' || r.last_name, t.queue, t.category, t.created_at, t.due_at, t.completed_at,
		`+hoursBilledTo("ticket_id", "t.id")+`
		FROM tickets t JOIN organizations o ON o.id = t.organization_id
		LEFT JOIN resources r ON r.id = t.assigned_resource_id`+w.sql()+` ORDER BY t.id`+limit(q.Page), args,
		sc.scan, each)
}

// ticketScan holds the scan targets of a ticket row, reused by a list.
type ticketScan struct {
	priority, assignee      sql.NullString
	contract                sql.NullInt64
	created, due, completed nullTime
	hours                   int64
}

func (s *ticketScan) scan(r Row) (api.EndClientTicket, error) {
	var t api.EndClientTicket
	err := r.Scan(&t.ID, &t.Number, &t.Title, &t.Description, &t.Status, &s.priority, &t.OrganizationID, &t.OrganizationName,
		&s.contract, &s.assignee, &t.Queue, &t.Category, &s.created, &s.due, &s.completed, &s.hours)
	t.Priority, t.AssignedResource, t.ContractID = nStr(s.priority), nStr(s.assignee), nInt(s.contract)
	t.CreatedAt, t.DueAt, t.CompletedAt = s.created.value(), s.due.t, s.completed.t
	t.BilledHours = api.Decimal(s.hours)
	return t, err
}

// TicketNotes streams a ticket's published notes, ordered by id.
func (s *Store) TicketNotes(ctx context.Context, ticketID int64, page store.Page, each func(api.TicketNote) error) error {
	return s.notes(ctx, "ticket_notes", "ticket_id", "title", ticketID, page, func(n note) error {
		return each(api.TicketNote{ID: n.id, TicketID: n.parentID, Title: n.title, Body: n.body, Author: n.author,
			CreatedAt: n.created.value()})
	})
}
