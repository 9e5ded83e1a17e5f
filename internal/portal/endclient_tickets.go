package portal

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// EndClientTickets streams the tickets billed to u's organization (End
// Client Tickets), with the hours billed to it. As for projects, any
// portal user of a billing organization may read them; no security-level
// permission plays a part.
func (s *Service) EndClientTickets(ctx context.Context, u *User, f EndClientFilter, page store.Page, each func(api.EndClientTicket) error) error {
	org, clients, err := s.billingScope(ctx, u, f.Client)
	if err != nil {
		return err
	}
	client, err := resolveClient(clients, f.Client)
	if err != nil {
		return err
	}
	return s.data.EndClientTickets(ctx, store.EndClientTicketQuery{BillingOrgID: org, ClientID: client,
		IncludeCompleted: f.IncludeCompleted, Page: page}, each)
}

// EndClientTicket returns one of u's end-client tickets by id or number,
// whatever its status; any other ticket is not found.
func (s *Service) EndClientTicket(ctx context.Context, u *User, r string) (api.EndClientTicket, error) {
	if _, err := s.billingOrg(ctx, u); err != nil {
		return api.EndClientTicket{}, err
	}
	t, ok, err := s.endClientTicket(ctx, u, r)
	if err == nil && !ok {
		err = api.NotFound("end-client ticket")
	}
	return t, err
}

// endClientTicket looks up one of u's end-client tickets; ok is false when
// u's organization bills nothing or the ticket is not one of them.
func (s *Service) endClientTicket(ctx context.Context, u *User, r string) (api.EndClientTicket, bool, error) {
	ok, err := s.data.IsBillingOrganization(ctx, u.Organization.ID)
	if err != nil || !ok {
		return api.EndClientTicket{}, false, err
	}
	id, number := ref(r)
	return first(func(each func(api.EndClientTicket) error) error {
		return s.data.EndClientTickets(ctx, store.EndClientTicketQuery{BillingOrgID: u.Organization.ID, ID: id, Number: number,
			IncludeCompleted: true, Page: store.Page{Limit: 1}}, each)
	})
}

// EndClientTicketNotes streams the published notes of one of u's
// end-client tickets.
func (s *Service) EndClientTicketNotes(ctx context.Context, u *User, r string, page store.Page, each func(api.TicketNote) error) error {
	t, err := s.EndClientTicket(ctx, u, r)
	if err != nil {
		return err
	}
	return s.data.TicketNotes(ctx, t.ID, page, each)
}

// ticketReadOnly is the answer to a task write whose reference is the
// number of one of u's end-client tickets (ticket and task numbers look
// alike): those are read-only, and no API writes a ticket.
func (s *Service) ticketReadOnly(ctx context.Context, u *User, r string) error {
	if _, number := ref(r); number == "" {
		return nil // an id names a task, never a ticket
	}
	_, ok, err := s.endClientTicket(ctx, u, r)
	if err != nil || !ok {
		return err
	}
	return api.Errorf(api.CodeReadOnly, "%s is an end-client ticket, which is read-only: notes, attachments and completion are not available (use `portalctl endclient ticket view %s`)", r, r)
}
