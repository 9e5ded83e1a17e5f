package atstore_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// Ticket changes made in Autotask are in the copy after the next pass: a
// new ticket, a status change, a deleted ticket, a note made internal, a
// new published note, a labour item posted on a ticket, and a ticket's
// charge (not labour) that stays out of billed hours.
func TestTicketsConvergeWithinOnePass(t *testing.T) {
	b, c := openClocked(t, demo(t))
	c.advance(time.Minute)
	emu := b.Emu
	// Picklist ids are the emulator's tenant data: status 11 New, 8 In
	// Progress; queue 29682834 Field Services; category 102 Email;
	// priority 19 Critical; publish 1 All Autotask Users, 2 internal.
	emu.Put("Tickets", 7006, map[string]any{"ticketNumber": "T20260215.0001", "title": "Scanner jams", "status": 11.0,
		"priority": 19.0, "companyID": 301.0, "contractID": 502.0, "queueID": 29682834.0, "ticketCategory": 102.0,
		"createDate": "2026-02-15T12:01:00.000Z"}, nil)
	emu.Put("Tickets", 7003, map[string]any{"status": 8.0, "completedDate": nil}, nil) // reopened
	emu.Delete("Tickets", 7002)
	emu.Put("TicketNotes", 7101, map[string]any{"publish": 2.0}, nil) // made internal
	emu.Put("TicketNotes", 7104, map[string]any{"ticketID": 7001.0, "title": "Fixed", "description": "Reservation added.",
		"publish": 1.0, "noteType": 18.0, "creatorResourceID": 9002.0, "createDateTime": "2026-02-15T12:01:00.000Z"}, nil)
	emu.Put("TimeEntries", 70010, map[string]any{"ticketID": 7001.0, "resourceID": 9002.0, "hoursWorked": 1.0}, nil)
	posted := map[string]any{"ticketID": 7001.0, "contractID": 501.0, "companyID": 300.0, "itemDate": "2026-02-14T00:00:00Z",
		"postedDate": "2026-02-15T00:00:00Z", "postedOnTime": "2026-02-15T12:01:00.000Z", "invoiceID": 0.0}
	emu.Put("BillingItems", 70010, with(posted, map[string]any{"timeEntryID": 70010.0, "quantity": 1.0, "rate": 150.0,
		"extendedPrice": atemu.ExtendedPrice(1, 150), "billingItemType": 1.0, "subType": 1.0}), nil)
	emu.Put("BillingItems", 70011, with(posted, map[string]any{"ticketChargeID": 1.0, "quantity": 3.0, "rate": 20.0,
		"extendedPrice": 60.0, "billingItemType": 4.0, "subType": 4.0}), nil)
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass: %v", err)
	}

	data := b.Stores().Data
	var got []string
	err := data.EndClientTickets(ctx, store.EndClientTicketQuery{BillingOrgID: fabrikam}, func(k api.EndClientTicket) error {
		got = append(got, fmt.Sprintf("%d %s %s %s/%s %s", k.ID, k.Status, k.BilledHours, k.Queue, k.Category, val(k.Priority)))
		return nil
	})
	want := []string{"7001 in_progress 2.50 Service Desk/Hardware high", "7003 in_progress 3.25 Projects Desk/Email ",
		"7006 new 0.00 Field Services/Email critical"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Fabrikam's open end-client tickets after the pass:\n%q %v\nwant\n%q", got, err, want)
	}
	var notes []int64
	if err := data.TicketNotes(ctx, 7001, store.Page{}, func(n api.TicketNote) error { notes = append(notes, n.ID); return nil }); err != nil ||
		!slices.Equal(notes, []int64{7104}) {
		t.Errorf("published notes of ticket 7001: %v %v, want 7104 only (7101 was made internal)", notes, err)
	}
	var billed []int64
	data.BilledHoursFeed(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam, Kind: store.WorkTicket}, nil, func(r api.BilledHoursRow) error {
		billed = append(billed, r.ID)
		return nil
	})
	if !slices.Contains(billed, 70010) || slices.Contains(billed, 70011) {
		t.Errorf("ticket rows billed to Fabrikam: %v, want the labour 70010 and never the charge 70011", billed)
	}
}

// with is base with more fields.
func with(base, more map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

func val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// A ticket deleted in Autotask while the copy still holds its billed
// items waits until they are gone too: the pass does not fail on it (the
// items' ticket must exist), and the next removal check takes both.
func TestDeletedTicketWaitsForItsItems(t *testing.T) {
	b, c := openClocked(t, demo(t))
	b.Emu.Delete("Tickets", 7003)
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass after ticket 7003 was deleted, its item 70003 not: %v", err)
	}
	completed := store.EndClientTicketQuery{BillingOrgID: fabrikam, IncludeCompleted: true}
	if got := endClientTicketIDs(t, b.Stores().Data, completed); !slices.Contains(got, 7003) {
		t.Errorf("end-client tickets %v: 7003 left the copy before its billed item", got)
	}
	b.Emu.Delete("BillingItems", 70003) // unposted
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass after item 70003 was unposted: %v", err)
	}
	if got := endClientTicketIDs(t, b.Stores().Data, completed); slices.Contains(got, 7003) {
		t.Errorf("end-client tickets %v: 7003 still in the copy", got)
	}
}

func endClientTicketIDs(t *testing.T, data store.PortalData, q store.EndClientTicketQuery) []int64 {
	t.Helper()
	var ids []int64
	if err := data.EndClientTickets(ctx, q, func(k api.EndClientTicket) error { ids = append(ids, k.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	return ids
}

// A task deleted in Autotask while the copy still holds billed items of
// it waits for them, as a ticket does: before, every pass from then on
// failed on the items' foreign key.
func TestDeletedTaskWaitsForItsItems(t *testing.T) {
	b, c := openClocked(t, demo(t))
	b.Emu.Delete("Tasks", 109)
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass after task 109 was deleted, its item 60004 not: %v", err)
	}
	var task *int64
	err := b.Stores().Data.BilledHoursFeed(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam}, nil, func(r api.BilledHoursRow) error {
		if r.ID == 60004 {
			task = r.TaskID
		}
		return nil
	})
	if err != nil || task == nil || *task != 109 {
		t.Fatalf("item 60004 after its task was deleted: task %v, %v", task, err)
	}
	b.Emu.Delete("BillingItems", 60004) // unposted
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass after item 60004 was unposted: %v", err)
	}
}
