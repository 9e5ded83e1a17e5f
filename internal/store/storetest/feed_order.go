package storetest

import (
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// testFeedCommitOrder: two writers at once. The first writes an item and
// stays open; the second, started meanwhile, must not commit a higher
// position before the first commits its lower one — a reader that took
// the higher position would never see the lower one. (PostgreSQL
// sequences commit in any order; the feed's row lock keeps them in order.)
func testFeedCommitOrder(t *testing.T, newStore Factory) {
	imp, feed := newFeedStore(t, newStore)
	m := newFeedModel()
	if err := imp.Import(ctx, m.base); err != nil {
		t.Fatal(err)
	}
	item := func(id int64) *dataset.BillingItem {
		return &dataset.BillingItem{ID: id, ProjectID: 1, ContractID: 501, WorkedDate: "2026-01-05", HoursWorked: 100, HoursBilled: 100}
	}
	start := feedPosition(t, feed)
	wrote, release, firstDone, secondDone := make(chan struct{}), make(chan struct{}), make(chan error, 1), make(chan error, 1)
	go func() {
		firstDone <- imp.Import(ctx, func(w dataset.Writer) error {
			if err := w.Write(item(1)); err != nil {
				return err
			}
			// A removal writes the pending item first.
			if err := w.Write(store.BillingItemRemoval{ID: 999}); err != nil {
				return err
			}
			close(wrote)
			<-release
			return nil
		})
	}()
	<-wrote
	go func() {
		secondDone <- imp.Import(ctx, func(w dataset.Writer) error { return w.Write(item(2)) })
	}()
	select {
	case err := <-secondDone:
		t.Fatalf("the second writer committed (%v) while the first, with the lower position, was open", err)
	case <-time.After(300 * time.Millisecond):
	}
	if pos := feedPosition(t, feed); pos != start {
		t.Fatalf("a reader sees position %+v before any writer committed (was %+v)", pos, start)
	}
	close(release)
	for _, done := range []chan error{firstDone, secondDone} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	since := func(p int64) []int64 {
		var ids []int64
		err := feed.BilledHoursFeed(ctx, store.BilledHoursQuery{BillingOrgID: billerA, Changes: &store.FeedRange{Since: p}}, nil,
			func(r api.BilledHoursRow) error { ids = append(ids, r.ID); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := since(start.Position); len(got) != 2 {
		t.Fatalf("changes since %d: items %v, want 1 and 2", start.Position, got)
	}
	if got := since(start.Position + 1); len(got) != 1 || got[0] != 2 {
		t.Fatalf("changes since %d: items %v, want only 2 (the second writer's)", start.Position+1, got)
	}
	if end := feedPosition(t, feed); end.Position != start.Position+2 || end.Feed != start.Feed {
		t.Fatalf("feed after two writers: %+v, want %s at %d", end, start.Feed, start.Position+2)
	}
}
