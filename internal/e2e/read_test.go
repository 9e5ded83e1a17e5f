package e2e_test

import (
	"slices"
	"testing"
)

// TestReadCommandsInEveryFormat runs every read command of portalctl as
// the demo user the portal rules let see the record, in every format.
func TestReadCommandsInEveryFormat(t *testing.T) {
	s := startServer(t)
	ava, ben, chloe := s.newUser(t, "ava").login(), s.newUser(t, "ben").login(), s.newUser(t, "chloe").login()

	tests := []struct {
		u         *user
		args      []string
		key, want string
	}{
		{ava, []string{"projects", "list"}, "number", "P20260110.0002"},
		{ava, []string{"projects", "view", "P20260105.0001"}, "name", "Office 365 migration"},
		{ava, []string{"projects", "view", "1"}, "number", "P20260105.0001"},
		{ava, []string{"projects", "schedule", "P20260105.0001"}, "title", "Mailboxes"},
		{ava, []string{"projects", "notes", "P20260105.0001"}, "title", "Kick-off held"},
		{ava, []string{"projects", "attachments", "P20260105.0001"}, "name", "plan.txt"},
		{ava, []string{"projects", "calendar", "P20260105.0001"}, "title", "Cut-over weekend"},
		{ava, []string{"issue", "list", "--project", "P20260105.0001"}, "number", "T20260120.0004"},
		{ava, []string{"team", "list", "--project", "P20260105.0001"}, "name", "Priya Nair"},
		{ben, []string{"tasks", "open"}, "number", "T20260105.0001"},
		{ben, []string{"tasks", "view", "T20260105.0001"}, "status", "waiting_customer"},
		{ben, []string{"tasks", "view", "T20260105.0001", "--notes"}, "subject", "Licence count"},
		{chloe, []string{"endclient", "clients"}, "name", "Tailspin Dental"},
		{chloe, []string{"endclient", "projects"}, "number", "P20260201.0005"},
		{chloe, []string{"endclient", "view", "P20260201.0005"}, "number", "P20260201.0005"},
		{chloe, []string{"endclient", "view", "P20260201.0005", "--schedule"}, "title", "Move server rack"},
		{chloe, []string{"endclient", "hours"}, "id", "60001"},
		{chloe, []string{"team", "list", "--project", "P20260201.0005", "--end-client"}, "name", "Priya Nair"},
	}
	for _, tt := range tests {
		t.Run(tt.u.name+" "+join(tt.args), func(t *testing.T) {
			tt.u.t = t
			tt.u.everyFormat(tt.args, tt.key, tt.want)
		})
	}

	t.Run("what each user sees", func(t *testing.T) {
		ava.t, ben.t, chloe.t = t, t, t
		if got := column(ava.jsonRows("projects", "list"), "number"); !slices.Equal(got, []string{"P20260105.0001", "P20260110.0002", "P20260302.0007"}) {
			t.Errorf("ava's projects: %v", got)
		}
		if got := column(ben.jsonRows("projects", "list"), "number"); !slices.Equal(got, []string{"P20260105.0001"}) {
			t.Errorf("ben's projects: %v", got)
		}
		if got := column(chloe.jsonRows("endclient", "clients"), "name"); !slices.Equal(got, []string{"Tailspin Dental", "Wingtip Toys"}) {
			t.Errorf("chloe's end clients: %v", got)
		}
		ep := chloe.jsonRows("endclient", "projects", "--include-completed", "--columns", "number,billed_hours")
		if len(ep) != 2 || ep[0]["number"] != "P20260201.0005" || ep[0]["billed_hours"] != 3.1 {
			t.Errorf("chloe's end-client projects: %v", ep)
		}
	})
}

func join(args []string) string {
	out := ""
	for i, a := range args {
		if i > 0 {
			out += " "
		}
		out += a
	}
	return out
}
