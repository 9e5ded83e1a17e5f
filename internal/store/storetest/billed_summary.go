package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// summaryData is the demo data with n random billing items: on end-client
// and other projects, on contracts billed to Fabrikam and not, with and
// without a resource, a rate, an amount or a task, any hundredth of an hour, over
// six months. A seed gives the same data on every store.
func summaryData(t *testing.T, seed uint64, n int) []byte {
	t.Helper()
	var data map[string]json.RawMessage
	if err := json.Unmarshal(dataset.DemoJSON, &data); err != nil {
		t.Fatal(err)
	}
	var items []any
	if err := json.Unmarshal(data["billing_items"], &items); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 21))
	pick := func(xs ...any) any { return xs[r.IntN(len(xs))] }
	for i := range n {
		project := pick(5, 5, 5, 8, 6, 1).(int)
		item := map[string]any{"id": 80000 + i, "project_id": project, "contract_id": pick(501, 501, 502, 503, 500),
			"worked_date":  fmt.Sprintf("2025-%02d-%02d", 10+r.IntN(3), 1+r.IntN(28)),
			"hours_worked": float64(r.IntN(1200)) / 100, "hours_billed": float64(r.IntN(1200)) / 100}
		if r.IntN(4) > 0 {
			item["rate"] = float64(r.IntN(30000)) / 100
		}
		if r.IntN(5) == 0 {
			// Invoiced at an amount of its own (Autotask's extendedPrice):
			// the export shows it, with or without a rate.
			item["amount"] = float64(r.IntN(400000)-50000) / 100
		}
		if res := pick(9001, 9002, 0).(int); res != 0 {
			item["resource_id"] = res
		}
		if project == 5 && r.IntN(2) == 0 {
			item["task_id"] = pick(104, 107)
		}
		if r.IntN(5) == 0 {
			// Work on a ticket instead: an end client's, another billing
			// organization's or the organization's own.
			delete(item, "project_id")
			delete(item, "task_id")
			item["ticket_id"] = pick(7001, 7003, 7004, 7005)
		}
		items = append(items, item)
	}
	b, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	data["billing_items"] = b
	// In the format's order of kinds: the Autotask emulator seeds a record
	// from the ones before it (a billing item's company is its project's).
	var out bytes.Buffer
	out.WriteString("{")
	for i, kind := range dataset.Kinds {
		if i > 0 {
			out.WriteString(",")
		}
		fmt.Fprintf(&out, "%q:%s", kind, orEmpty(data[kind]))
	}
	out.WriteString("}")
	return out.Bytes()
}

func orEmpty(m json.RawMessage) []byte {
	if m == nil {
		return []byte("[]")
	}
	return m
}

// testBilledSummary: for random data, every grouping and filter, the
// summary is exactly the sum of the rows the export gives for the same
// query, grouped and ordered as documented (the property, on every store).
func testBilledSummary(t *testing.T, newStore Factory, o Options) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			st := newStore(t, summaryData(t, seed, 300))
			queries := []store.BilledHoursQuery{
				{BillingOrgID: fabrikam},
				{BillingOrgID: fabrikam, ClientID: tailspin},
				{BillingOrgID: fabrikam, From: "2025-10-15", To: "2025-11-30"},
				{BillingOrgID: fabrikam, ClientID: wingtip, To: "2025-11-10"},
				{BillingOrgID: contoso}, // bills nobody: no group at all
			}
			for _, q := range queries {
				rows := collect(t, func(each func(api.BilledHoursRow) error) error { return st.Data.BilledHoursFeed(ctx, q, nil, each) })
				if q.BillingOrgID == fabrikam && q.ClientID == 0 && q.From == "" && len(rows) < 100 {
					t.Fatalf("only %d rows billed to Fabrikam: the data set does not exercise the summary", len(rows))
				}
				for _, by := range summaryGroupings() {
					got := collect(t, func(each func(api.BilledHoursTotal) error) error {
						return st.Data.BilledHoursSummary(ctx, q, by, each)
					})
					want := sumRows(rows, by)
					if !slices.EqualFunc(got, want, totalsEqual) {
						t.Fatalf("summary by %v of %+v over %d rows:\n got %s\nwant %s", by, q, len(rows), totalsString(got), totalsString(want))
					}
				}
			}
		})
	}
}

// summaryGroupings are every subset of the keys, and some in other orders.
func summaryGroupings() [][]string {
	var out [][]string
	for mask := range 1 << len(api.SummaryKeys) {
		var by []string
		for i, k := range api.SummaryKeys {
			if mask&(1<<i) != 0 {
				by = append(by, k)
			}
		}
		out = append(out, by)
	}
	return append(out, []string{"month", "client"}, []string{"resource", "project", "month"})
}

// sumRows is the property's other side, written apart from every store:
// the exported rows added up by the grouping's values, in the documented
// order (client id, project id, month, resource name with none first, in
// by's order).
func sumRows(rows []api.BilledHoursRow, by []string) []api.BilledHoursTotal {
	type group struct {
		key  []string
		t    api.BilledHoursTotal
		sort []any
	}
	var groups []*group
	index := map[string]*group{}
	for _, r := range rows {
		var key []string
		var sort []any
		g := api.BilledHoursTotal{}
		for _, k := range by {
			switch k {
			case "client":
				id, name := r.ClientID, r.ClientName
				g.ClientID, g.ClientName = &id, &name
				key, sort = append(key, fmt.Sprint(id)), append(sort, id)
			case "project":
				// A ticket's row has no project: its group's project is null
				// and sorts first, as the store's does.
				g.ProjectID, g.ProjectNumber, g.ProjectName = r.ProjectID, r.ProjectNumber, r.ProjectName
				var id int64
				if r.ProjectID != nil {
					id = *r.ProjectID
				}
				key, sort = append(key, fmt.Sprint(id)), append(sort, id)
			case "month":
				m := string(r.WorkedDate)[:7]
				g.Month = &m
				key, sort = append(key, m), append(sort, m)
			case "resource":
				name := "\x00none"
				if r.Resource != nil {
					v := *r.Resource
					g.Resource, name = &v, "\x01"+v
				}
				key, sort = append(key, name), append(sort, name)
			}
		}
		k := strings.Join(key, "|")
		grp, ok := index[k]
		if !ok {
			grp = &group{key: key, t: g, sort: sort}
			index[k] = grp
			groups = append(groups, grp)
		}
		grp.t.Items++
		grp.t.HoursWorked += r.HoursWorked
		grp.t.HoursBilled += r.HoursBilled
		if r.Amount != nil {
			a := *r.Amount
			if grp.t.Amount != nil {
				a += *grp.t.Amount
			}
			grp.t.Amount = &a
		}
	}
	slices.SortFunc(groups, func(a, b *group) int {
		for i := range a.sort {
			switch x := a.sort[i].(type) {
			case int64:
				if y := b.sort[i].(int64); x != y {
					return map[bool]int{true: -1, false: 1}[x < y]
				}
			case string:
				if c := strings.Compare(x, b.sort[i].(string)); c != 0 {
					return c
				}
			}
		}
		return 0
	})
	out := make([]api.BilledHoursTotal, len(groups))
	for i, g := range groups {
		out[i] = g.t
	}
	return out
}

func totalsEqual(a, b api.BilledHoursTotal) bool { return totalsString1(a) == totalsString1(b) }

func totalsString(ts []api.BilledHoursTotal) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, totalsString1(t))
	}
	return strings.Join(parts, "\n     ")
}

func totalsString1(t api.BilledHoursTotal) string {
	b, _ := json.Marshal(t)
	return string(b)
}
