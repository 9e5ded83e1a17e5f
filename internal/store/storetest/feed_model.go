package storetest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// feedModel is what the billing feed suite believes the store holds: the
// items and the scope fields that decide which export shows them.
type feedModel struct {
	billTo   map[int64]*int64 // contract → billing organization
	projects map[int64]feedProject
	items    map[int64]dataset.BillingItem
	// pristine items have not changed since they were first written, so
	// each consumer that sees one must get it exactly once.
	pristine map[int64]bool
}

type feedProject struct {
	org int64
	typ string
}

// The feed suite's organizations: two billing organizations and three
// clients; contracts 501–504 and projects 1–4 between them.
const (
	billerA, billerB           = 1, 2
	clientX, clientY, clientZ  = 10, 11, 12
	feedFirstDay, feedLastDay  = 1, 90 // worked dates: day numbers of 2026
	feedMaxID, feedInitialRows = 400, 60
)

func ptr[T any](v T) *T { return &v }

func newFeedModel() *feedModel {
	return &feedModel{
		billTo: map[int64]*int64{501: ptr[int64](billerA), 502: ptr[int64](billerA), 503: ptr[int64](billerB), 504: nil},
		projects: map[int64]feedProject{1: {clientX, "client"}, 2: {clientY, "client"}, 3: {clientZ, "client"},
			4: {clientX, "internal"}},
		items: map[int64]dataset.BillingItem{}, pristine: map[int64]bool{},
	}
}

func (m *feedModel) clone() *feedModel {
	return &feedModel{billTo: maps.Clone(m.billTo), projects: maps.Clone(m.projects), items: maps.Clone(m.items),
		pristine: maps.Clone(m.pristine)}
}

// base writes the organizations, contracts, projects, a task and a
// resource.
func (m *feedModel) base(w dataset.Writer) error {
	recs := []any{&dataset.Organization{ID: billerA, Name: "Biller A", TimeZone: "UTC"},
		&dataset.Organization{ID: billerB, Name: "Biller B", TimeZone: "UTC"},
		&dataset.Organization{ID: clientX, Name: "Client X", TimeZone: "UTC"},
		&dataset.Organization{ID: clientY, Name: "Client Y", TimeZone: "UTC"},
		&dataset.Organization{ID: clientZ, Name: "Client Z", TimeZone: "UTC"},
		&dataset.Resource{ID: 9001, FirstName: "Tom", LastName: "Berg", Active: true}}
	for _, c := range []int64{501, 502, 503, 504} {
		recs = append(recs, m.contract(c))
	}
	for _, p := range []int64{1, 2, 3, 4} {
		recs = append(recs, m.project(p))
	}
	recs = append(recs, &dataset.Task{ID: 101, ProjectID: 1, Number: "T1", Title: "Rack", Status: "new", VisibleInPortal: true})
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func (m *feedModel) contract(id int64) *dataset.Contract {
	owner := map[int64]int64{501: clientX, 502: clientY, 503: clientX, 504: clientZ}[id]
	return &dataset.Contract{ID: id, OrganizationID: owner, Name: fmt.Sprint("Contract ", id), BillingOrganizationID: m.billTo[id]}
}

func (m *feedModel) project(id int64) *dataset.Project {
	p := m.projects[id]
	contract := map[int64]int64{1: 501, 2: 502, 3: 504, 4: 501}[id]
	return &dataset.Project{ID: id, Number: fmt.Sprint("P", id), Name: fmt.Sprint("Project ", id), OrganizationID: p.org,
		Type: p.typ, Status: "in_progress", ContractID: &contract}
}

// randomItem is item id with random values.
func randomItem(r *rand.Rand, id int64) dataset.BillingItem {
	project := int64(1 + r.IntN(4))
	contract := int64(501 + r.IntN(4))
	day := feedFirstDay + r.IntN(feedLastDay-feedFirstDay+1)
	it := dataset.BillingItem{ID: id, ProjectID: project, ContractID: contract,
		WorkedDate:  api.Date(fmt.Sprintf("2026-%s", dayOfYear(day))),
		HoursWorked: api.Decimal(25 * (1 + r.IntN(16))), HoursBilled: api.Decimal(25 * r.IntN(16)),
		Description: fmt.Sprint("work ", r.IntN(1000))}
	if r.IntN(3) > 0 {
		it.Rate = ptr(api.Decimal(100 * (50 + r.IntN(100))))
	}
	if project == 1 && r.IntN(2) == 0 {
		it.TaskID = ptr[int64](101)
	}
	if r.IntN(2) == 0 {
		it.ResourceID = ptr[int64](9001)
	}
	return it
}

// dayOfYear is "MM-DD" of day n of 2026 (1 = January 1st), n <= 90.
func dayOfYear(n int) string {
	switch {
	case n <= 31:
		return fmt.Sprintf("01-%02d", n)
	case n <= 59:
		return fmt.Sprintf("02-%02d", n-31)
	}
	return fmt.Sprintf("03-%02d", n-59)
}

// inView reports whether item it is a row of export q in this model.
func (m *feedModel) inView(q store.BilledHoursQuery, it dataset.BillingItem) bool {
	bill, p := m.billTo[it.ContractID], m.projects[it.ProjectID]
	return bill != nil && *bill == q.BillingOrgID && p.typ == "client" && p.org != q.BillingOrgID &&
		(q.ClientID == 0 || p.org == q.ClientID) && (q.ProjectID == 0 || it.ProjectID == q.ProjectID) &&
		(q.From == "" || it.WorkedDate >= q.From) && (q.To == "" || it.WorkedDate <= q.To)
}

// mutate applies one random change to the store and the model, in one
// import: new items (any id, any date), corrections, removals, a contract
// billed to someone else, a project moved to another client or type, or
// a re-import that changes nothing.
func (m *feedModel) mutate(t *testing.T, r *rand.Rand, imp store.Importer) string {
	t.Helper()
	var recs []any
	what := ""
	switch op := r.IntN(10); {
	case op < 3:
		what = "insert"
		for range 1 + r.IntN(5) {
			id := int64(1 + r.IntN(feedMaxID))
			if _, ok := m.items[id]; ok {
				continue
			}
			it := randomItem(r, id)
			m.items[id], m.pristine[id] = it, true
			recs = append(recs, &it)
		}
	case op < 6:
		what = "correct"
		for _, id := range m.someItems(r, 1+r.IntN(3)) {
			it := m.items[id]
			switch r.IntN(5) {
			case 0:
				it.HoursBilled += 25
			case 1:
				it.WorkedDate = randomItem(r, id).WorkedDate
			case 2:
				it.ProjectID = 1 + (it.ProjectID % 4)
				it.TaskID = nil
			case 3:
				it.ContractID = 501 + (it.ContractID-500)%4
			default:
				it.Description += " (corrected)"
			}
			m.items[id], m.pristine[id] = it, false
			recs = append(recs, &it)
		}
	case op < 7:
		what = "remove"
		ids := m.someItems(r, 1+r.IntN(2))
		for _, id := range ids {
			delete(m.items, id)
			delete(m.pristine, id)
		}
		if err := imp.RemoveBillingItems(ctx, ids); err != nil {
			t.Fatalf("remove %v: %v", ids, err)
		}
		return what
	case op < 8:
		what = "rebill"
		c := int64(501 + r.IntN(4))
		m.billTo[c] = []*int64{ptr[int64](billerA), ptr[int64](billerB), nil}[r.IntN(3)]
		m.touchScope(func(it dataset.BillingItem) bool { return it.ContractID == c })
		recs = append(recs, m.contract(c))
	case op < 9:
		what = "move project"
		p := int64(1 + r.IntN(4))
		fp := m.projects[p]
		if r.IntN(2) == 0 {
			fp.org = []int64{clientX, clientY, clientZ}[r.IntN(3)]
		} else {
			fp.typ = map[string]string{"client": "internal", "internal": "client"}[fp.typ]
		}
		m.projects[p] = fp
		m.touchScope(func(it dataset.BillingItem) bool { return it.ProjectID == p })
		recs = append(recs, m.project(p))
	default:
		what = "re-import unchanged"
		for _, id := range m.someItems(r, 5) {
			it := m.items[id]
			recs = append(recs, &it)
		}
		recs = append(recs, m.contract(501), m.project(1))
	}
	if err := imp.Import(ctx, func(w dataset.Writer) error {
		for _, rec := range recs {
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return what
}

// touchScope marks the items whose scope just changed as changed.
func (m *feedModel) touchScope(on func(dataset.BillingItem) bool) {
	for id, it := range m.items {
		if on(it) {
			m.pristine[id] = false
		}
	}
}

// someItems picks up to n stored item ids.
func (m *feedModel) someItems(r *rand.Rand, n int) []int64 {
	var out []int64
	for _, id := range slices.Sorted(maps.Keys(m.items)) {
		if len(out) == n {
			break
		}
		if r.IntN(4) == 0 {
			out = append(out, id)
		}
	}
	return out
}
