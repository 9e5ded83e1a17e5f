package storetest

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// feedConsumer is one reader of the billing feed with its own filters: an
// accounting ledger that applies every entry it receives.
type feedConsumer struct {
	name    string
	q       store.BilledHoursQuery
	pos     *int64                       // nil before its first run
	held    map[int64]api.BilledHoursRow // the version it has of each item
	billed  map[int64]api.Decimal        // sum of hours_billed over all its rows
	entries map[int64]int                // rows received per item
}

func newConsumer(name string, q store.BilledHoursQuery) *feedConsumer {
	return &feedConsumer{name: name, q: q, held: map[int64]api.BilledHoursRow{}, billed: map[int64]api.Decimal{},
		entries: map[int64]int{}}
}

// apply takes one entry: a reversal must undo exactly the version held; a
// new or correction row must come when none is.
func (c *feedConsumer) apply(t *testing.T, r api.BilledHoursRow) {
	t.Helper()
	held, ok := c.held[r.ID]
	switch r.Entry {
	case api.EntryReversal:
		if !ok {
			t.Fatalf("%s: reversal of item %d, which it does not have", c.name, r.ID)
		}
		if neg := negate(r); rowKey(neg) != rowKey(held) {
			t.Fatalf("%s: reversal of item %d undoes\n%s\nbut it has\n%s", c.name, r.ID, rowKey(neg), rowKey(held))
		}
		delete(c.held, r.ID)
	case api.EntryNew, api.EntryCorrection:
		if ok {
			t.Fatalf("%s: %s row for item %d, which it has without a reversal", c.name, r.Entry, r.ID)
		}
		c.held[r.ID] = r
	default:
		t.Fatalf("%s: item %d: entry %q", c.name, r.ID, r.Entry)
	}
	c.billed[r.ID] += r.HoursBilled
	c.entries[r.ID]++
}

func negate(r api.BilledHoursRow) api.BilledHoursRow {
	r.HoursWorked, r.HoursBilled = -r.HoursWorked, -r.HoursBilled
	if r.Amount != nil {
		a := -*r.Amount
		r.Amount = &a
	}
	return r
}

// rowKey is what a consumer compares of a row: everything but the entry.
func rowKey(r api.BilledHoursRow) string {
	r.Entry = ""
	b, _ := r.AppendJSON(nil)
	return string(b)
}

// check compares what the consumer holds after a run with the model at
// the run's position: the same items in the same versions, hours_billed
// over all rows equal to each item's current billed hours (0 when out of
// its view), each item that never changed received exactly once.
func (c *feedConsumer) check(t *testing.T, m *feedModel, step int) {
	t.Helper()
	for id, it := range m.items {
		if !m.inView(c.q, it) {
			continue
		}
		h, ok := c.held[id]
		if !ok {
			t.Fatalf("step %d, %s: item %d (%+v) missing", step, c.name, id, it)
		}
		p := m.projects[it.ProjectID]
		if h.HoursBilled != it.HoursBilled || h.HoursWorked != it.HoursWorked || h.WorkedDate != it.WorkedDate ||
			h.ProjectID != it.ProjectID || h.ClientID != p.org || h.Description != it.Description ||
			(h.Rate == nil) != (it.Rate == nil) {
			t.Fatalf("step %d, %s: item %d held as %s, is %+v", step, c.name, id, rowKey(h), it)
		}
		if m.pristine[id] && c.entries[id] != 1 {
			t.Fatalf("step %d, %s: unchanged item %d received %d times", step, c.name, id, c.entries[id])
		}
	}
	for id, h := range c.held {
		if it, ok := m.items[id]; !ok || !m.inView(c.q, it) {
			t.Fatalf("step %d, %s: holds item %d (%s), not in its view", step, c.name, id, rowKey(h))
		}
	}
	for id, sum := range c.billed {
		want := api.Decimal(0)
		if h, ok := c.held[id]; ok {
			want = h.HoursBilled
		}
		if sum != want {
			t.Fatalf("step %d, %s: item %d: hours_billed over all rows %s, want %s", step, c.name, id, sum, want)
		}
	}
}

// run reads the changes since the consumer's position (everything at its
// first run) in one call, changing the store while the rows come (the
// snapshot must not see it), or page by page, changing the store between
// pages (the pages stay pinned to the first page's position). It returns
// the model as of the run's position.
func (c *feedConsumer) run(t *testing.T, r *rand.Rand, st store.BillingFeed, imp store.Importer, m *feedModel, step int) *feedModel {
	t.Helper()
	at := m.clone()
	var pos store.FeedPosition
	head := func(p store.FeedPosition) error { pos = p; return nil }
	q := c.q
	if c.pos != nil {
		q.Changes = &store.FeedRange{Since: *c.pos}
	}
	if r.IntN(2) == 0 || c.pos == nil && r.IntN(2) == 0 {
		n, cut := 0, r.IntN(8)
		err := st.BilledHoursFeed(ctx, q, head, func(row api.BilledHoursRow) error {
			c.apply(t, row)
			if n++; n == cut {
				m.mutate(t, r, imp)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("step %d, %s: %v", step, c.name, err)
		}
	} else {
		if q.Changes == nil {
			q.Changes = &store.FeedRange{}
		}
		q.Page.Limit = 1 + r.IntN(4)
		for {
			n := 0
			var last api.BilledHoursRow
			err := st.BilledHoursFeed(ctx, q, head, func(row api.BilledHoursRow) error {
				c.apply(t, row)
				n, last = n+1, row
				return nil
			})
			if err != nil {
				t.Fatalf("step %d, %s, page: %v", step, c.name, err)
			}
			if q.Changes.Until == 0 {
				q.Changes.Until = pos.Position
			}
			if n < q.Page.Limit {
				break
			}
			q.Page.After = &store.Key{ID: last.ID}
			if last.Entry == api.EntryReversal {
				q.Page.After.Value = api.EntryReversal
			}
			m.mutate(t, r, imp)
		}
		pos.Position = q.Changes.Until
	}
	if c.pos != nil && pos.Position < *c.pos {
		t.Fatalf("step %d, %s: position went back from %d to %d", step, c.name, *c.pos, pos.Position)
	}
	c.pos = &pos.Position
	return at
}

// testBillingFeed interleaves random changes with runs of several
// consumers (all items; one client; a date range; another billing
// organization) and checks each consumer's ledger after every run.
func testBillingFeed(t *testing.T, newStore Factory) {
	imp, feed := newFeedStore(t, newStore)
	r := rand.New(rand.NewPCG(15, 2026))
	m := newFeedModel()
	for id := int64(1); len(m.items) < feedInitialRows; id += int64(1 + r.IntN(5)) {
		m.items[id], m.pristine[id] = randomItem(r, id), true
	}
	if err := imp.Import(ctx, func(w dataset.Writer) error {
		if err := m.base(w); err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(m.items)) {
			if err := w.Write(ptr(m.items[id])); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	consumers := []*feedConsumer{
		newConsumer("all of A", store.BilledHoursQuery{BillingOrgID: billerA}),
		newConsumer("A, client X", store.BilledHoursQuery{BillingOrgID: billerA, ClientID: clientX}),
		newConsumer("A, February", store.BilledHoursQuery{BillingOrgID: billerA, From: "2026-02-01", To: "2026-02-28"}),
		newConsumer("A, project 3", store.BilledHoursQuery{BillingOrgID: billerA, ProjectID: 3}),
		newConsumer("all of B", store.BilledHoursQuery{BillingOrgID: billerB}),
	}
	for step := range 160 {
		if r.IntN(3) > 0 {
			before := feedPosition(t, feed)
			if what := m.mutate(t, r, imp); what == "re-import unchanged" {
				if after := feedPosition(t, feed); after != before {
					t.Fatalf("step %d: an import that changed nothing moved the feed from %+v to %+v", step, before, after)
				}
			}
			continue
		}
		c := consumers[r.IntN(len(consumers))]
		at := c.run(t, r, feed, imp, m, step)
		c.check(t, at, step)
	}
	for _, c := range consumers { // a last run of each, nothing changing
		c.check(t, c.run(t, rand.New(rand.NewPCG(1, 1)), feed, imp, m, -1), -1)
	}
}

// newFeedStore is an empty store of newStore that keeps a billing feed (the
// test is skipped on others).
func newFeedStore(t *testing.T, newStore Factory) (store.Importer, store.BillingFeed) {
	st := newStore(t, []byte(`{"portal":{"support_email":"s@example.com"}}`))
	imp, ok1 := st.(store.Importer)
	feed, ok2 := st.(store.BillingFeed)
	if !ok1 || !ok2 {
		t.Skip("this store keeps no billing feed")
	}
	return imp, feed
}

func feedPosition(t *testing.T, f store.BillingFeed) store.FeedPosition {
	t.Helper()
	var pos store.FeedPosition
	err := f.BilledHoursFeed(ctx, store.BilledHoursQuery{BillingOrgID: billerA, Page: store.Page{Limit: 1}},
		func(p store.FeedPosition) error { pos = p; return nil }, func(api.BilledHoursRow) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return pos
}
