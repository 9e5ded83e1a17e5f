package autotask_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/pkg/api"
)

// budgetData is one project with many tasks (all waiting for the customer,
// so all are "open" for every contact) and many published notes.
func budgetData(tasks, notes int) []byte {
	var b strings.Builder
	b.WriteString(`{"portal":{"support_email":"s@example.com","provider_name":"MSP"},
		"organizations":[{"id":1,"name":"Client"}],
		"contacts":[{"id":10,"organization_id":1,"first_name":"Cleo","last_name":"Lee","username":"cleo","security_level":"basic","password":"pw"}],
		"resources":[{"id":20,"first_name":"Rae","last_name":"Ng","email":"rae@msp.example"}],
		"projects":[{"id":1,"number":"P1","name":"Big","organization_id":1,"status":"in_progress","lead_resource_id":20}],
		"tasks":[`)
	for i := range tasks {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"project_id":1,"number":"T20260101.%04d","title":"t%d","status":"waiting_customer","contact_id":10,"assigned_resource_id":20,"position":%d}`,
			1000+i, i+1, i, i+1)
	}
	b.WriteString(`],"project_notes":[`)
	for i := range notes {
		if i > 0 {
			b.WriteString(",")
		}
		author := `"author_resource_id":20`
		if i%2 == 1 {
			author = `"author_contact_id":10`
		}
		fmt.Fprintf(&b, `{"id":%d,"project_id":1,"title":"n%d","body":"b",%s,"created_at":"2026-01-05T15:00:00Z"}`, 5000+i, i, author)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func ceil500(n int) int64 { return int64((n + 499) / 500) }

// measure runs list twice (the first warms the caches of companies,
// resources, contacts, contracts and picklists) and returns the rows and
// the emulator calls of the second run.
func measure(t *testing.T, b *bridge, list func(count func()) error) (rows int, calls int64) {
	t.Helper()
	if err := list(func() {}); err != nil {
		t.Fatal(err)
	}
	b.emu.ResetCalls()
	if err := list(func() { rows++ }); err != nil {
		t.Fatal(err)
	}
	return rows, b.emu.Calls()
}

// TestCallBudgets: a list of N records costs at most ceil(N/500) + 2
// Autotask calls with warm caches (billed hours: see its bound).
func TestCallBudgets(t *testing.T) {
	t.Parallel()
	fixture := storetest.Fixture(t)
	demo := newBridge(t, fixture, autotask.Options{})
	big := newBridge(t, budgetData(1200, 600), autotask.Options{})
	scope := store.ProjectScope{OrgIDs: []int64{100, 101, 102}}
	tests := []struct {
		name string
		b    *bridge
		min  int
		list func(count func()) error
		n    int // N when it is not the rows listed (0: the rows)
	}{
		{"projects with the 120 synthetic ones", demo, 124, func(count func()) error {
			return demo.Projects(ctx, store.ProjectQuery{Scope: scope, IncludeCompleted: true}, func(api.Project) error { count(); return nil })
		}, 0},
		{"published notes", big, 600, func(count func()) error {
			return big.Notes(ctx, 1, store.Page{}, func(api.Note) error { count(); return nil })
		}, 0},
		{"open tasks", big, 1200, func(count func()) error {
			return big.Tasks(ctx, store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{1}}, OpenForContactID: 10},
				func(api.Task) error { count(); return nil })
		}, 0},
		// N is the 703 billing items whose hours are summed: Autotask has
		// no aggregate, so they are read (3 fields each), then one Projects query.
		{"end-client projects with billed hours", demo, 2, func(count func()) error {
			return demo.EndClientProjects(ctx, store.EndClientQuery{BillingOrgID: 200, IncludeCompleted: true},
				func(api.EndClientProject) error { count(); return nil })
		}, 703},
	}
	for _, tt := range tests {
		rows, calls := measure(t, tt.b, tt.list)
		n := rows
		if tt.n > 0 {
			n = tt.n
		}
		if bound := ceil500(n) + 2; rows < tt.min || calls > bound {
			t.Errorf("%s: %d rows in %d calls, want ≥ %d rows in ≤ %d calls", tt.name, rows, calls, tt.min, bound)
		}
		t.Logf("%s: %d rows (N=%d), %d calls", tt.name, rows, n, calls)
	}

	// Billed hours: ≤ 2·ceil(N/500) + W + 2 calls for N rows read in W
	// month windows (one item query per window, one TimeEntries call per
	// 500 rows, the rows' projects and tasks once).
	rows, calls := measure(t, demo, func(count func()) error {
		return demo.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: 200}, func(api.BilledHoursRow) error { count(); return nil })
	})
	w := int64(demo.WindowCount("", ""))
	if bound := 2*ceil500(rows) + w + 2; rows != 703 || calls > bound {
		t.Errorf("billed hours: %d rows in %d calls over %d windows, want 703 rows in ≤ %d calls", rows, calls, w, bound)
	}
	t.Logf("billed hours: %d rows, %d windows, %d calls", rows, w, calls)

	// A page asks for its size and no further Autotask page.
	rows, calls = measure(t, demo, func(count func()) error {
		q := store.ProjectQuery{Scope: scope, IncludeCompleted: true, Page: store.Page{Limit: 7, After: &store.Key{ID: 100010}}}
		return demo.Projects(ctx, q, func(api.Project) error { count(); return nil })
	})
	if rows != 7 || calls != 1 {
		t.Errorf("a page of 7 projects: %d rows in %d calls, want 7 in 1", rows, calls)
	}

	// A page stops reading: 10 rows from a known date cost a window or two.
	_, calls = measure(t, demo, func(count func()) error {
		q := store.BilledHoursQuery{BillingOrgID: 200, Page: store.Page{Limit: 10, After: &store.Key{Value: "2025-06-01"}}}
		return demo.BilledHours(ctx, q, func(api.BilledHoursRow) error { count(); return nil })
	})
	if calls > 5 {
		t.Errorf("a page of 10 billed-hours rows cost %d calls, want ≤ 5", calls)
	}
}
