package storetest

import (
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// testEndClientTickets specifies the end-client ticket predicate
// (store.EndClientTicketQuery), the hours billed to the billing
// organization, published ticket notes, and ticket items in billed hours.
func testEndClientTickets(t *testing.T, st store.Stores) {
	list := func(q store.EndClientTicketQuery) []api.EndClientTicket {
		return collect(t, func(each func(api.EndClientTicket) error) error { return st.Data.EndClientTickets(ctx, q, each) })
	}
	id := func(k api.EndClientTicket) int64 { return k.ID }
	wantIDs(t, "open", ids(list(store.EndClientTicketQuery{BillingOrgID: fabrikam}), id), []int64{printer, pos})
	all := list(store.EndClientTicketQuery{BillingOrgID: fabrikam, IncludeCompleted: true})
	wantIDs(t, "with completed", ids(all, id), []int64{printer, pos, mailboxes})
	wantIDs(t, "one client", ids(list(store.EndClientTicketQuery{BillingOrgID: fabrikam, ClientID: wingtip, IncludeCompleted: true}), id),
		[]int64{pos})
	wantIDs(t, "by number", ids(list(store.EndClientTicketQuery{BillingOrgID: fabrikam, Number: "T20251201.0007", IncludeCompleted: true}), id),
		[]int64{mailboxes})
	wantIDs(t, "page after the first", ids(list(store.EndClientTicketQuery{BillingOrgID: fabrikam, IncludeCompleted: true,
		Page: store.Page{Limit: 1, After: &store.Key{ID: printer}}}), id), []int64{pos})
	for _, org := range []int64{contoso, tailspin, wingtip} {
		if got := list(store.EndClientTicketQuery{BillingOrgID: org, IncludeCompleted: true}); len(got) != 0 {
			t.Errorf("organization %d bills no ticket, yet has %+v", org, got)
		}
	}
	// Billed hours: only items on contracts billing Fabrikam (70001, not
	// Tailspin's own 70002); none on a ticket billed by its contract only.
	hours := map[int64]string{printer: "1.50", pos: "0.00", mailboxes: "3.25"}
	for _, k := range all {
		if k.BilledHours.String() != hours[k.ID] {
			t.Errorf("ticket %d billed hours %s, want %s", k.ID, k.BilledHours, hours[k.ID])
		}
	}
	if len(all) == 0 {
		t.Fatal("no end-client tickets to look at")
	}
	k := all[0]
	if k.Number != "T20260106.0001" || k.OrganizationName != "Tailspin Dental" || val(k.AssignedResource) != "Tom Berg" ||
		k.Queue != "Service Desk" || k.Category != "Hardware" || val(k.Priority) != "high" || k.Status != "in_progress" ||
		k.DueAt == nil || k.CompletedAt != nil || k.CreatedAt.IsZero() {
		t.Errorf("ticket fields: %+v", k)
	}
	notes := collect(t, func(each func(api.TicketNote) error) error {
		return st.Data.TicketNotes(ctx, printer, store.Page{}, each)
	})
	if len(notes) != 1 || notes[0].ID != 7101 || notes[0].Author != "Tom Berg" || notes[0].Title != "Found the cause" {
		t.Errorf("published notes of ticket %d: %+v (never the internal 7102)", printer, notes)
	}

	rows := func(q store.BilledHoursQuery) []api.BilledHoursRow {
		q.BillingOrgID = fabrikam
		return collect(t, func(each func(api.BilledHoursRow) error) error { return st.Data.BilledHoursFeed(ctx, q, nil, each) })
	}
	row := func(r api.BilledHoursRow) int64 { return r.ID }
	tickets := rows(store.BilledHoursQuery{Kind: store.WorkTicket})
	wantIDs(t, "ticket rows", ids(tickets, row), []int64{70003, 70001})
	r := tickets[1]
	if val(r.TicketID) != printer || val(r.TicketNumber) != "T20260106.0001" || val(r.TicketTitle) != "Front-desk printer offline" ||
		r.ProjectID != nil || r.ProjectNumber != nil || r.TaskID != nil || r.ClientID != tailspin || r.ClientName != "Tailspin Dental" ||
		r.HoursBilled.String() != "1.50" || val(r.Resource) != "Tom Berg" {
		t.Errorf("ticket row: %+v", r)
	}
	wantIDs(t, "ticket rows of Wingtip", ids(rows(store.BilledHoursQuery{Kind: store.WorkTicket, ClientID: wingtip}), row), nil)
	projects := rows(store.BilledHoursQuery{Kind: store.WorkProject})
	for _, r := range projects {
		if r.TicketID != nil || r.ProjectID == nil {
			t.Fatalf("kind project gave %+v", r)
		}
	}
	if all := rows(store.BilledHoursQuery{}); len(projects)+len(tickets) != len(all) {
		t.Errorf("project rows %d + ticket rows %d != all rows %d", len(projects), len(tickets), len(all))
	}
}
