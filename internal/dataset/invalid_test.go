package dataset_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
)

// TestInvalidFileReportsEveryMistake imports a file with one of each
// mistake data-format.md lists and checks that every one is reported with
// its path, and that the database is left as it was.
func TestInvalidFileReportsEveryMistake(t *testing.T) {
	db := openDB(t)
	if _, err := importFile(t, db, "example-import.json"); err != nil {
		t.Fatal(err)
	}
	before := exportString(t, db)
	_, err := importFile(t, db, "invalid-import.json")
	var problems *dataset.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want *dataset.Problems, got %v", err)
	}
	want := []string{
		"portal.support_email: must not be blank",
		"organizations[0].parent_id: cycle: organization 1 is its own ancestor",
		"organizations[1].parent_id: cycle: organization 2 is its own ancestor",
		`organizations[1].time_zone: unknown time zone "Mars/Olympus" (use an IANA name such as America/Chicago)`,
		"organizations[2].id: duplicate id 1 (also organizations[0])",
		`security_levels[0].permissions[0]: unknown permission "fly" (choose add_issues, all_org_projects, attachments, email_team, notes, sub_organizations, view_schedule)`,
		`contacts[0].security_level: unknown security level "Nope" (define it in security_levels or use basic, advanced, manager)`,
		`contacts[1].username: duplicate username "SAM" (also contacts[0])`,
		"contacts[2].first_name: required",
		"contracts[0].organization_id: no organization with id 77",
		`projects[0].status: unknown value "done" (choose complete, in_progress, inactive, new, on_hold)`,
		`projects[0].start_date: "2026-02-30" is not a date (want YYYY-MM-DD)`,
		"projects[1].shoe_size: unknown field",
		"phases[1].parent_phase_id: phase 20 belongs to project 5, not 6",
		"tasks[0].phase_id: phase 20 belongs to project 5, not 6",
		"tasks[1].position: must be an integer",
		"team[0]: give exactly one of resource_id and contact_id",
		"attachments[0].content_base64: invalid base64",
		"billing_items[0].hours_billed: must be a number with at most 2 decimals",
		"billing_items[0].hours_worked: must not be negative",
	}
	got := problems.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if t.Failed() {
		t.Logf("reported:\n%s", got)
	}
	if after := exportString(t, db); after != before {
		t.Fatal("an invalid import changed the database")
	}
}
