package atemu

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The schema extract agrees with records Autotask really returned: every
// field of a recorded body exists in the extract, with a JSON value of its
// type (Contacts.isActive is an integer, Resources.isActive a boolean).
func TestExtractMatchesRecordedBodies(t *testing.T) {
	for file, entity := range map[string]string{
		"billingitems_query_item.json": "BillingItems", "timeentries_query_item.json": "TimeEntries",
		"projects_query_item.json": "Projects", "contracts_query_item.json": "Contracts",
		"contacts_query_item.json": "Contacts", "resources_query_item.json": "Resources", "tasks_query_item.json": "Tasks",
	} {
		raw, err := os.ReadFile(filepath.Join("..", "testdata", "real", file))
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Items []map[string]any }
		if err := json.Unmarshal(raw, &page); err != nil || len(page.Items) == 0 {
			t.Fatalf("%s: %v", file, err)
		}
		e := lookupEntity(entity)
		for name, v := range page.Items[0] {
			if name == "userDefinedFields" {
				continue
			}
			f := e.field(name)
			if f == nil {
				t.Errorf("%s: %s.%s is not in the extract", file, entity, name)
				continue
			}
			if !fits(&field{typ: f.typ}, v) {
				t.Errorf("%s: %s.%s = %#v, not a %s", file, entity, name, v, f.typ)
			}
		}
	}
}
