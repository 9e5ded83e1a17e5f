package storetest

import (
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func testIdentity(t *testing.T, st store.Stores) {
	p, err := st.Data.Portal(ctx)
	if err != nil || p.OrganizationTerm != "Customer" || p.SupportEmail != "support@northwind-it.example" {
		t.Errorf("portal: %+v %v", p, err)
	}
	orgs, err := st.Data.Organizations(ctx)
	if err != nil || len(orgs) != 6 || orgs[1].ID != logistics || *orgs[1].ParentID != contoso || orgs[1].TimeZone != "America/Chicago" {
		t.Errorf("organizations: %+v %v", orgs, err)
	}
	if !orgs[0].NotifyResources || orgs[2].NotifyResources {
		t.Errorf("notify_resources: default true, East false: %+v", orgs[:3])
	}
	if perms, err := st.Accounts.SecurityLevelPermissions(ctx, "Read Only Projects"); err != nil || len(perms) != 2 {
		t.Errorf("custom level: %v %v", perms, err)
	}
	if perms, err := st.Accounts.SecurityLevelPermissions(ctx, "No Access"); err != nil || len(perms) != 0 {
		t.Errorf("level without permissions: %v %v", perms, err)
	}
	c, err := st.Accounts.ContactByUsername(ctx, "CHLOE")
	if err != nil || c.ID != chloe || c.FirstName != "Chloé" || c.SecurityLevel != "advanced" || c.PasswordHash == "" || !c.PortalEnabled {
		t.Errorf("contact by username (any case): %+v %v", c, err)
	}
	if c, err := st.Accounts.ContactByUsername(ctx, "dora"); err != nil || c.PortalEnabled {
		t.Errorf("disabled contact: %+v %v", c, err)
	}
	_, err = st.Accounts.ContactByUsername(ctx, "nobody")
	wantNotFound(t, "contact by username", err)
	_, err = st.Accounts.SecurityLevelPermissions(ctx, "Nope")
	wantNotFound(t, "security level", err)
	if err := st.Data.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
}

func projects(t *testing.T, st store.Stores, q store.ProjectQuery) []int64 {
	t.Helper()
	return ids(collect(t, func(each func(api.Project) error) error { return st.Data.Projects(ctx, q, each) }),
		func(p api.Project) int64 { return p.ID })
}

func testProjects(t *testing.T, st store.Stores) {
	all := store.ProjectScope{OrgIDs: []int64{contoso, logistics, east}}
	member := store.ProjectScope{OrgIDs: []int64{contoso}, MemberContactID: ben}
	tests := []struct {
		name string
		q    store.ProjectQuery
		want []int64
	}{
		{"member of own organization", store.ProjectQuery{Scope: member}, []int64{1}},
		{"member, other organizations in scope do not add", store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{contoso, logistics}, MemberContactID: ben}}, []int64{1}},
		{"only client projects, never end clients' even if on the team", store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{fabrikam}}, IncludeCompleted: true}, []int64{6}},
		{"empty scope sees nothing", store.ProjectQuery{Scope: store.ProjectScope{}}, nil},
		{"by number, whatever the status", store.ProjectQuery{Scope: all, Number: "P20251101.0003", IncludeCompleted: true}, []int64{3}},
		{"completed excluded by default", store.ProjectQuery{Scope: all, Number: "P20251101.0003"}, nil},
		{"by id", store.ProjectQuery{Scope: all, ID: 7}, []int64{7}},
		{"by id outside the scope", store.ProjectQuery{Scope: member, ID: 2}, nil},
		{"search is case-insensitive on name", store.ProjectQuery{Scope: all, Search: "wAREHOUSE"}, []int64{2}},
		{"search on number", store.ProjectQuery{Scope: all, Search: "0302.0007"}, []int64{7}},
		{"sub-organization only", store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{logistics}, MemberContactID: sam}}, []int64{2}},
	}
	for _, tt := range tests {
		wantIDs(t, tt.name, projects(t, st, tt.q), tt.want)
	}
	if n := len(projects(t, st, store.ProjectQuery{Scope: all, IncludeCompleted: true})); n != 4+120 {
		t.Errorf("all Contoso projects with the 120 synthetic ones: %d", n)
	}
	p := collect(t, func(each func(api.Project) error) error {
		return st.Data.Projects(ctx, store.ProjectQuery{Scope: all, ID: 1}, each)
	})[0]
	if p.Number != "P20260105.0001" || p.OrganizationName != "Contoso Ltd" || *p.Lead != "Priya Nair" || *p.StartDate != "2026-01-05" ||
		p.EstimatedHours.String() != "120.00" || p.PercentComplete.String() != "40.00" || p.CompletedAt != nil {
		t.Errorf("project fields: %+v", p)
	}
	done := collect(t, func(each func(api.Project) error) error {
		return st.Data.Projects(ctx, store.ProjectQuery{Scope: all, ID: 3, IncludeCompleted: true}, each)
	})[0]
	if done.CompletedAt == nil || !done.CompletedAt.Equal(time.Date(2025, 12, 19, 22, 15, 0, 0, time.UTC)) {
		t.Errorf("completed_at: %v", done.CompletedAt)
	}
}

// testPaging checks that keyset pages concatenate to the full list with no
// duplicates or gaps, for id order and for (worked_date, id) with ties.
func testPaging(t *testing.T, st store.Stores) {
	scope := store.ProjectScope{OrgIDs: []int64{contoso, logistics, east}}
	full := projects(t, st, store.ProjectQuery{Scope: scope, IncludeCompleted: true})
	var paged []int64
	page := store.Page{Limit: 7}
	for range 100 {
		got := projects(t, st, store.ProjectQuery{Scope: scope, IncludeCompleted: true, Page: page})
		paged = append(paged, got...)
		if len(got) < page.Limit {
			break
		}
		page.After = &store.Key{ID: got[len(got)-1]}
	}
	wantIDs(t, "project pages", paged, full)

	q := store.BilledHoursQuery{BillingOrgID: fabrikam}
	rows := collect(t, func(each func(api.BilledHoursRow) error) error { return st.Data.BilledHoursFeed(ctx, q, nil, each) })
	var pagedRows []api.BilledHoursRow
	q.Page = store.Page{Limit: 1} // page size 1 crosses the two items worked on 2026-02-03
	for range 2000 {
		got := collect(t, func(each func(api.BilledHoursRow) error) error { return st.Data.BilledHoursFeed(ctx, q, nil, each) })
		pagedRows = append(pagedRows, got...)
		if len(got) == 0 {
			break
		}
		last := got[len(got)-1]
		q.Page.After = &store.Key{Value: string(last.WorkedDate), ID: last.ID}
	}
	id := func(r api.BilledHoursRow) int64 { return r.ID }
	wantIDs(t, "billed-hours pages", ids(pagedRows, id), ids(rows, id))
}
