package storetest

import (
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func tasks(t *testing.T, st store.Stores, q store.TaskQuery) []int64 {
	t.Helper()
	return ids(collect(t, func(each func(api.Task) error) error { return st.Data.Tasks(ctx, q, each) }), func(x api.Task) int64 { return x.ID })
}

func testTasks(t *testing.T, st store.Stores, o Options) {
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
	sched, err := st.Data.ScheduleTasks(ctx, store.TaskQuery{Projects: contosoAll, ProjectID: 1})
	if err != nil || len(sched) != 4 || sched[0].ID != 100 || sched[0].Position != 1 || sched[3].ID != 103 {
		t.Errorf("schedule tasks by position: %+v %v", sched, err)
	}
	task := collect(t, func(each func(api.Task) error) error {
		return st.Data.Tasks(ctx, store.TaskQuery{Projects: contosoAll, ID: 100}, each)
	})[0]
	if task.ProjectNumber != "P20260105.0001" || *task.ContactName != "Ben Ode" || *task.AssignedResource != "Priya Nair" ||
		*task.DueDate != "2026-01-20" || task.Status != api.TaskWaitingCustomer || *task.PhaseID != 10 {
		t.Errorf("task fields: %+v", task)
	}
	if r, err := st.Data.TaskAssignee(ctx, 101); err != nil || r.Email != "tom@northwind-it.example" {
		t.Errorf("assignee: %+v %v", r, err)
	}
	_, err = st.Data.TaskAssignee(ctx, 103)
	wantNotFound(t, "assignee of an unassigned task", err)
}
