package portal_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

func endClientTickets(t *testing.T, svc *portal.Service, u *portal.User, f portal.EndClientFilter) (string, error) {
	t.Helper()
	var got []string
	err := svc.EndClientTickets(ctx, u, f, store.Page{}, func(k api.EndClientTicket) error {
		got = append(got, k.Number+"="+k.BilledHours.String())
		return nil
	})
	return strings.Join(got, " "), err
}

// TestEndClientTickets: the rules of End Client Tickets (portal-rules.md)
// on the demo data, as a billing organization's user and as everyone else.
func TestEndClientTickets(t *testing.T) {
	for _, backend := range portaltest.Backends {
		t.Run(backend, func(t *testing.T) { t.Parallel(); testEndClientTickets(t, backend) })
	}
}

func testEndClientTickets(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	chloe := portaltest.User(t, svc, "chloe")
	for _, tt := range []struct {
		f    portal.EndClientFilter
		want string
	}{
		// 7001 counts only its item billed to Fabrikam (1.50, not
		// Tailspin's own 2.00); 7002 is billed by its contract alone.
		{portal.EndClientFilter{}, "T20260106.0001=1.50 T20260112.0003=0.00"},
		{portal.EndClientFilter{IncludeCompleted: true}, "T20260106.0001=1.50 T20260112.0003=0.00 T20251201.0007=3.25"},
		{portal.EndClientFilter{Client: "wingtip toys", IncludeCompleted: true}, "T20260112.0003=0.00"},
		{portal.EndClientFilter{Client: "300"}, "T20260106.0001=1.50"},
	} {
		if got, err := endClientTickets(t, svc, chloe, tt.f); err != nil || got != tt.want {
			t.Errorf("%+v: %q %v, want %q", tt.f, got, err, tt.want)
		}
	}
	_, err := endClientTickets(t, svc, chloe, portal.EndClientFilter{Client: "Contoso Ltd"})
	wantCode(t, err, api.CodeInvalidRequest)

	// A user of an organization that bills nothing gets the projects' answer.
	ben := portaltest.User(t, svc, "ben")
	_, projectsErr := endClientProjects(t, svc, ben, portal.EndClientFilter{})
	_, err = endClientTickets(t, svc, ben, portal.EndClientFilter{})
	wantCode(t, err, api.CodeNotBillingOrganization)
	if err.Error() != projectsErr.Error() {
		t.Errorf("non-billing user: tickets say %q, projects %q", err, projectsErr)
	}
	_, err = svc.EndClientTicket(ctx, ben, "7001")
	wantCode(t, err, api.CodeNotBillingOrganization)

	// One ticket, by id or number, whatever its status; others are not found.
	if k, err := svc.EndClientTicket(ctx, chloe, "T20251201.0007"); err != nil || k.ID != 7003 || k.Status != "complete" {
		t.Errorf("completed ticket by number: %+v %v", k, err)
	}
	for _, ref := range []string{"7004", "7005", "T20260120.0002", "100", "T20260105.0001", "999999"} {
		_, err := svc.EndClientTicket(ctx, chloe, ref)
		wantCode(t, err, api.CodeNotFound)
	}
	var notes []int64
	if err := svc.EndClientTicketNotes(ctx, chloe, "7001", store.Page{}, func(n api.TicketNote) error {
		notes = append(notes, n.ID)
		return nil
	}); err != nil || len(notes) != 1 || notes[0] != 7101 {
		t.Errorf("notes of 7001: %v %v, want the published 7101 only", notes, err)
	}
	err = svc.EndClientTicketNotes(ctx, chloe, "7004", store.Page{}, func(api.TicketNote) error { return nil })
	wantCode(t, err, api.CodeNotFound)

	// Read-only: a task write naming the ticket's number says so; for
	// anyone else it is a task that does not exist.
	_, err = svc.AddTaskNote(ctx, chloe, "T20260106.0001", api.NewTaskNote{Subject: "s", Body: "b"})
	wantCode(t, err, api.CodeReadOnly)
	if !strings.Contains(err.Error(), "portalctl endclient ticket view") {
		t.Errorf("read-only message says what to do instead: %q", err)
	}
	_, err = svc.CompleteTask(ctx, chloe, "T20260106.0001")
	wantCode(t, err, api.CodeReadOnly)
	_, err = svc.AddTaskNote(ctx, ben, "T20260106.0001", api.NewTaskNote{Subject: "s", Body: "b"})
	wantCode(t, err, api.CodeNotFound)
	_, err = svc.Task(ctx, chloe, "T20260106.0001")
	wantCode(t, err, api.CodeNotFound)
}

// TestEndClientTicketsOfAnotherBillingOrganization: two billing
// organizations each see only the tickets billed to them.
func TestEndClientTicketsOfAnotherBillingOrganization(t *testing.T) {
	var data map[string]any
	if err := json.Unmarshal(dataset.DemoJSON, &data); err != nil {
		t.Fatal(err)
	}
	add := func(kind string, rec map[string]any) { data[kind] = append(data[kind].([]any), rec) }
	// Tailspin Dental bills Wingtip's support contract: ticket 7006.
	add("contracts", map[string]any{"id": 504, "organization_id": 301, "name": "Wingtip support", "billing_organization_id": 300})
	add("tickets", map[string]any{"id": 7006, "number": "T20260125.0001", "title": "Till crashes", "status": "new",
		"organization_id": 301, "contract_id": 504, "created_at": "2026-01-25T10:00:00Z"})
	for _, c := range data["contacts"].([]any) {
		if c := c.(map[string]any); c["id"].(float64) == 3001 {
			c["username"], c["password"] = "dan", "demo"
		}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	svc := portal.New(portaltest.NewStoreWith(t, "sqlite", raw).Stores, portal.Options{})
	f := portal.EndClientFilter{IncludeCompleted: true}
	if got, err := endClientTickets(t, svc, portaltest.User(t, svc, "dan"), f); err != nil || got != "T20260125.0001=0.00" {
		t.Errorf("Tailspin's end-client tickets: %q %v", got, err)
	}
	if got, err := endClientTickets(t, svc, portaltest.User(t, svc, "chloe"), f); err != nil || strings.Contains(got, "T20260125.0001") {
		t.Errorf("Fabrikam sees Tailspin's end-client ticket: %q %v", got, err)
	}
	_, err = svc.EndClientTicket(ctx, portaltest.User(t, svc, "chloe"), "7006")
	wantCode(t, err, api.CodeNotFound)
}
