package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func testProjectDetails(t *testing.T, st store.Store, o Options) {
	team, err := st.Team(ctx, 1)
	var names []string
	for _, m := range team {
		names = append(names, m.Kind+":"+m.Name+"@"+m.Organization+"/"+m.Role)
	}
	want := "resource:Priya Nair@Northwind IT/Project Lead resource:Tom Berg@Northwind IT/Engineer contact:Ben Ode@Contoso Ltd/Client contact " +
		"contact:Dora Kim@Contoso Ltd/Client contact contact:Nora Park@Contoso Ltd/Observer"
	if o.NoContactRoles {
		want = strings.Replace(want, "Nora Park@Contoso Ltd/Observer", "Nora Park@Contoso Ltd/Client contact", 1)
	}
	if err != nil || strings.Join(names, " ") != want {
		t.Errorf("team:\n got %s\nwant %s", strings.Join(names, " "), want)
	}
	if ok, err := st.IsTeamMember(ctx, 1, ben); err != nil || !ok {
		t.Errorf("ben is on project 1's team: %v %v", ok, err)
	}
	if ok, _ := st.IsTeamMember(ctx, 1, ava); ok {
		t.Error("ava is not on project 1's team")
	}
	phases, err := st.Phases(ctx, 1)
	if err != nil || len(phases) != 3 || phases[0].Title != "Planning" || phases[1].ID != 12 || phases[1].ParentPhaseID == nil || *phases[1].ParentPhaseID != 11 {
		t.Errorf("phases: %+v %v", phases, err)
	}
	notes := collect(t, func(each func(api.Note) error) error { return st.Notes(ctx, 1, store.Page{}, each) })
	if len(notes) != 1 || notes[0].Author != "Priya Nair" || !notes[0].CreatedAt.Equal(time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("only published notes, with authors: %+v", notes)
	}
	tn := collect(t, func(each func(api.TaskNote) error) error { return st.TaskNotes(ctx, 100, store.Page{}, each) })
	if len(tn) != 1 || !tn[0].CreatedAt.Equal(time.Date(2026, 1, 6, 15, 30, 0, 0, time.UTC)) {
		t.Errorf("task note time is stored in UTC: %+v", tn)
	}
	atts := collect(t, func(each func(api.Attachment) error) error { return st.Attachments(ctx, 1, store.Page{}, each) })
	sum := sha256.Sum256([]byte("Migration plan\n"))
	wantSum := hex.EncodeToString(sum[:])
	if o.NoListHashes {
		wantSum = ""
	}
	if len(atts) != 1 || atts[0].ID != 900 || atts[0].Size != 15 || atts[0].SHA256 != wantSum || atts[0].ContentType != "text/plain" {
		t.Errorf("attachments: %+v", atts)
	}
	c, err := st.AttachmentContent(ctx, 900)
	if content := readContent(t, c, err); content != "Migration plan\n" || c.Name != "plan.txt" || c.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("attachment content: %+v %q", c.Attachment, content)
	}
	_, err = st.AttachmentContent(ctx, 999)
	wantNotFound(t, "attachment", err)
	// 902 belongs to task 102, which is hidden from the portal.
	_, err = st.AttachmentContent(ctx, 902)
	wantNotFound(t, "attachment of a hidden task", err)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if o.NoEvents {
		if err := st.Events(ctx, 1, &from, nil, func(api.Event) error { return nil }); err != store.ErrUnsupported {
			t.Errorf("events: %v, want store.ErrUnsupported", err)
		}
		return
	}
	events := collect(t, func(each func(api.Event) error) error { return st.Events(ctx, 1, &from, nil, each) })
	if len(events) != 1 || events[0].Title != "Cut-over weekend" {
		t.Errorf("events from March: %+v", events)
	}
	if all := collect(t, func(each func(api.Event) error) error { return st.Events(ctx, 1, nil, nil, each) }); len(all) != 2 || all[0].Title != "Kick-off" {
		t.Errorf("events by start: %+v", all)
	}
}

func tasks(t *testing.T, st store.Store, q store.TaskQuery) []int64 {
	t.Helper()
	return ids(collect(t, func(each func(api.Task) error) error { return st.Tasks(ctx, q, each) }), func(x api.Task) int64 { return x.ID })
}

func testTasks(t *testing.T, st store.Store, o Options) {
	contosoAll := store.ProjectScope{OrgIDs: []int64{contoso, logistics, east}}
	tests := []struct {
		name string
		q    store.TaskQuery
		want []int64
	}{
		{"hidden tasks are never returned", store.TaskQuery{Projects: contosoAll, ProjectID: 1}, []int64{100, 101, 103, 105}},
		{"issues only", store.TaskQuery{Projects: contosoAll, IssuesOnly: true}, []int64{103}},
		{"open for ben: waiting customer or his completable, open projects only", store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{contoso}, MemberContactID: ben}, OpenForContactID: ben}, []int64{100, 105}},
		{"open for ava across the scope", store.TaskQuery{Projects: contosoAll, OpenForContactID: ava}, []int64{100, 101, 108}},
		{"by number", store.TaskQuery{Projects: contosoAll, Number: "T20260105.0002"}, []int64{101}},
		{"a hidden task by id", store.TaskQuery{Projects: contosoAll, ID: 102}, nil},
		{"billed to Fabrikam: own contract, project contract or a billing item", store.TaskQuery{BilledToOrgID: fabrikam}, []int64{104, 109}},
		{"billed to Fabrikam on one project", store.TaskQuery{BilledToOrgID: fabrikam, ProjectID: 5}, []int64{104}},
		{"nothing is billed to Contoso", store.TaskQuery{BilledToOrgID: contoso}, nil},
	}
	if o.NoTaskContracts { // task 107 is billed through its project's contract 501
		tests[6].want, tests[7].want = []int64{104, 107, 109}, []int64{104, 107}
	}
	for _, tt := range tests {
		wantIDs(t, tt.name, tasks(t, st, tt.q), tt.want)
	}
	sched, err := st.ScheduleTasks(ctx, store.TaskQuery{Projects: contosoAll, ProjectID: 1})
	if err != nil || len(sched) != 4 || sched[0].ID != 100 || sched[0].Position != 1 || sched[3].ID != 103 {
		t.Errorf("schedule tasks by position: %+v %v", sched, err)
	}
	task := collect(t, func(each func(api.Task) error) error {
		return st.Tasks(ctx, store.TaskQuery{Projects: contosoAll, ID: 100}, each)
	})[0]
	if task.ProjectNumber != "P20260105.0001" || *task.ContactName != "Ben Ode" || *task.AssignedResource != "Priya Nair" ||
		*task.DueDate != "2026-01-20" || task.Status != api.TaskWaitingCustomer || *task.PhaseID != 10 {
		t.Errorf("task fields: %+v", task)
	}
	if r, err := st.TaskAssignee(ctx, 101); err != nil || r.Email != "tom@northwind-it.example" {
		t.Errorf("assignee: %+v %v", r, err)
	}
	_, err = st.TaskAssignee(ctx, 103)
	wantNotFound(t, "assignee of an unassigned task", err)
}

func testEndClients(t *testing.T, st store.Store) {
	for org, want := range map[int64]bool{fabrikam: true, contoso: false, tailspin: false} {
		if got, err := st.IsBillingOrganization(ctx, org); err != nil || got != want {
			t.Errorf("IsBillingOrganization(%d) = %v %v", org, got, err)
		}
	}
	clients, err := st.EndClients(ctx, fabrikam)
	if err != nil || len(clients) != 2 || clients[0].Name != "Tailspin Dental" || clients[1].ID != wingtip {
		t.Errorf("end clients: %+v %v", clients, err)
	}
	if none, _ := st.EndClients(ctx, contoso); len(none) != 0 {
		t.Errorf("Contoso has no end clients: %+v", none)
	}
	list := func(q store.EndClientQuery) []api.EndClientProject {
		return collect(t, func(each func(api.EndClientProject) error) error { return st.EndClientProjects(ctx, q, each) })
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
		return st.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam}, each)
	}) {
		sums[r.ProjectID] += r.HoursBilled
	}
	for _, p := range all {
		if p.BilledHours != sums[p.ID] || p.BilledHours == 0 {
			t.Errorf("project %d billed hours %s, rows sum to %s", p.ID, p.BilledHours, sums[p.ID])
		}
	}
}
