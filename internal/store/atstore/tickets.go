package atstore

import (
	"context"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/pkg/api"
)

// Tickets and their published notes: what End Client Tickets serves
// (docs/portal-rules.md). Every ticket is copied, as every project is: the
// rules, not the sync, decide which ones a billing organization sees.

func (p *pass) tickets(ctx context.Context) error {
	pl := p.picks["Tickets"]
	return pull(ctx, p, pullSpec[atTicket]{entity: "Tickets", fields: ticketFields, changed: "lastActivityDate",
		stamp: func(x atTicket) autotask.Time { return x.Changed }, id: func(x atTicket) int64 { return x.ID },
		write: func(ctx context.Context, batch []atTicket) ([]int64, error) {
			var later []int64
			err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				r := newRefs(m)
				for _, x := range batch {
					r.need("organizations", x.CompanyID)
					r.needOpt("contracts", x.ContractID)
					r.needOpt("resources", x.AssignedResourceID)
				}
				if err := r.load(); err != nil {
					return err
				}
				for _, x := range batch {
					if !r.has("organizations", x.CompanyID) {
						later = append(later, x.ID)
						continue
					}
					if err := m.Write(ticketRecord(x, r, pl)); err != nil {
						return err
					}
				}
				return nil
			})
			return later, err
		}})
}

// ticketRecord maps a ticket. Status is the shared task and ticket status
// list, mapped as tasks' (an unknown label reads as in_progress); a
// priority outside the portal's four is none; queue and category keep
// Autotask's labels, which the portal shows as they are.
func ticketRecord(x atTicket, r *refs, pl picklists) *dataset.Ticket {
	var priority string
	if v := pl.name("priority", x.Priority); taskPriorities[v] {
		priority = v
	}
	created := x.CreateDate
	if created.IsZero() {
		created = x.Changed
	}
	return &dataset.Ticket{ID: x.ID, Number: x.TicketNumber, Title: x.Title, Description: x.Description,
		Status: enum(pl.name("status", x.Status), taskStatuses, api.TaskInProgress), Priority: priority,
		OrganizationID: x.CompanyID, ContractID: r.opt("contracts", x.ContractID),
		AssignedResourceID: r.opt("resources", x.AssignedResourceID), Queue: pl.label("queueID", x.QueueID),
		Category: pl.label("ticketCategory", x.TicketCategory), CreatedAt: created.UTC(), DueAt: timePtr(x.DueDateTime),
		CompletedAt: timePtr(x.CompletedDate)}
}

// ticketNotes copies the notes published to "All Autotask Users", the
// ones the Client Portal shows; a note made internal leaves the copy.
func (p *pass) ticketNotes(ctx context.Context) error {
	return p.notes(ctx, "TicketNotes", ticketNoteFields, "ticket_notes", "tickets", func(n atNote) int64 { return n.TicketID },
		func(n atNote, author authors) any {
			return &dataset.TicketNote{ID: n.ID, TicketID: n.TicketID, Title: n.Title, Body: n.Description,
				AuthorResourceID: author.resource, AuthorContactID: author.contact, CreatedAt: noteTime(n), Published: true}
		})
}
