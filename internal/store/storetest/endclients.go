package storetest

import (
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func testEndClients(t *testing.T, st store.Stores) {
	for org, want := range map[int64]bool{fabrikam: true, contoso: false, tailspin: false} {
		if got, err := st.Data.IsBillingOrganization(ctx, org); err != nil || got != want {
			t.Errorf("IsBillingOrganization(%d) = %v %v", org, got, err)
		}
	}
	clients, err := st.Data.EndClients(ctx, fabrikam)
	if err != nil || len(clients) != 2 || clients[0].Name != "Tailspin Dental" || clients[1].ID != wingtip {
		t.Errorf("end clients: %+v %v", clients, err)
	}
	if none, _ := st.Data.EndClients(ctx, contoso); len(none) != 0 {
		t.Errorf("Contoso has no end clients: %+v", none)
	}
	list := func(q store.EndClientQuery) []api.EndClientProject {
		return collect(t, func(each func(api.EndClientProject) error) error { return st.Data.EndClientProjects(ctx, q, each) })
	}
	open := list(store.EndClientQuery{BillingOrgID: fabrikam})
	if len(open) != 1 || open[0].ID != 5 {
		t.Fatalf("open end-client projects: %+v", open)
	}
	all := list(store.EndClientQuery{BillingOrgID: fabrikam, IncludeCompleted: true})
	wantIDs(t, "with completed", ids(all, func(p api.EndClientProject) int64 { return p.ID }), []int64{5, 8})
	wantIDs(t, "one client", ids(list(store.EndClientQuery{BillingOrgID: fabrikam, ClientID: wingtip, IncludeCompleted: true}),
		func(p api.EndClientProject) int64 { return p.ID }), []int64{8})
	// Billed hours sum only items billed to Fabrikam: compare with the rows.
	sums := map[int64]api.Decimal{}
	for _, r := range collect(t, func(each func(api.BilledHoursRow) error) error {
		return st.Data.BilledHoursFeed(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam}, nil, each)
	}) {
		sums[val(r.ProjectID)] += r.HoursBilled
	}
	for _, p := range all {
		if p.BilledHours != sums[p.ID] || p.BilledHours == 0 {
			t.Errorf("project %d billed hours %s, rows sum to %s", p.ID, p.BilledHours, sums[p.ID])
		}
	}
}
