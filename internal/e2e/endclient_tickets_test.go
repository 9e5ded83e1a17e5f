package e2e_test

import (
	"testing"
)

// TestEndClientTickets: both real binaries on the demo database. A
// billing organization's user lists its end-client tickets with exactly
// the hours billed to it, by client, and reads one with its notes; a
// user of an organization that bills nothing gets exit 5 with the
// projects' message; ticket work is in the billed-hours export.
func TestEndClientTickets(t *testing.T) {
	s := startServer(t)
	endClientTickets(t, s.newUser(t, "chloe").login(), s.newUser(t, "ben").login())
}

// TestAutotaskEndClientTickets: the same on portald serving the synced
// copy of the emulator, which holds the demo's tickets, notes and ticket
// billing items as Autotask records.
func TestAutotaskEndClientTickets(t *testing.T) {
	s, _ := startAutotask(t)
	endClientTickets(t, login(t, s, "chloe"), login(t, s, "ben"))
}

func endClientTickets(t *testing.T, chloe, ben *user) {
	for _, tt := range []struct {
		args      []string
		key, want string
	}{
		{[]string{"endclient", "tickets"}, "number", "T20260106.0001"},
		{[]string{"endclient", "ticket", "view", "T20260106.0001"}, "queue", "Service Desk"},
		{[]string{"endclient", "ticket", "view", "7001", "--notes"}, "title", "Found the cause"},
		{[]string{"endclient", "hours", "--kind", "ticket", "--columns", "id,ticket_id,ticket_number,hours_billed"}, "ticket_id", "7001"},
	} {
		t.Run(join(tt.args), func(t *testing.T) {
			chloe.t = t
			chloe.everyFormat(tt.args, tt.key, tt.want)
		})
	}
	chloe.t = t

	// Exact billed hours: 7001 counts only the item billed to Fabrikam
	// (1.50 of 3.50), 7002 is billed by its contract alone.
	rows := chloe.jsonRows("endclient", "tickets", "--include-completed", "--columns", "number,organization_name,billed_hours")
	want := []map[string]any{
		{"number": "T20260106.0001", "organization_name": "Tailspin Dental", "billed_hours": 1.5},
		{"number": "T20260112.0003", "organization_name": "Wingtip Toys", "billed_hours": 0.0},
		{"number": "T20251201.0007", "organization_name": "Tailspin Dental", "billed_hours": 3.25},
	}
	if len(rows) != len(want) {
		t.Fatalf("chloe's end-client tickets: %v", rows)
	}
	for i := range want {
		for k, v := range want[i] {
			if rows[i][k] != v {
				t.Errorf("ticket %d %s: %v, want %v (%v)", i, k, rows[i][k], v, rows[i])
			}
		}
	}
	if got := column(chloe.jsonRows("endclient", "tickets", "--client", "Wingtip Toys"), "number"); len(got) != 1 || got[0] != "T20260112.0003" {
		t.Errorf("--client Wingtip Toys: %v", got)
	}
	notes := column(chloe.jsonRows("endclient", "ticket", "view", "T20260106.0001", "--notes"), "title")
	if len(notes) != 1 || notes[0] != "Found the cause" {
		t.Errorf("published notes: %v (never the internal one)", notes)
	}
	chloe.fails(3, []string{"not found"}, "endclient", "ticket", "view", "T20260120.0002")
	chloe.fails(5, []string{"read-only", "portalctl endclient ticket view"}, "tasks", "note", "T20260106.0001", "--subject", "s", "--message", "m")

	projects := ben.fails(5, nil, "endclient", "projects")
	tickets := ben.fails(5, []string{"not the billing organization"}, "endclient", "tickets")
	if tickets.Stderr != projects.Stderr {
		t.Errorf("ben: tickets say %q, projects %q", tickets.Stderr, projects.Stderr)
	}
	ben.fails(5, []string{"not the billing organization"}, "endclient", "ticket", "view", "7001")
}
