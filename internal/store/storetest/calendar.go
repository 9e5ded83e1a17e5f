package storetest

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// testCalendarFeeds: feed tokens are stored, found by hash, listed live and
// newest first, revoked by their owner only, and apart from API tokens.
func testCalendarFeeds(t *testing.T, stores store.Stores) {
	st := stores.Calendar
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	a, err := st.CreateCalendarFeed(ctx, store.CalendarFeed{ContactID: ben, Name: "phone", Hash: "f1", CreatedAt: now})
	if err != nil || a.ID == 0 {
		t.Fatalf("create: %+v %v", a, err)
	}
	b, _ := st.CreateCalendarFeed(ctx, store.CalendarFeed{ContactID: ben, Name: "outlook", Hash: "f2", CreatedAt: now})
	if _, err := st.CreateCalendarFeed(ctx, store.CalendarFeed{ContactID: ava, Hash: "f1", CreatedAt: now}); err != store.ErrConflict {
		t.Errorf("duplicate hash: %v", err)
	}
	id, err := st.IdentityByFeedHash(ctx, "f1")
	if got := id.Token; err != nil || got.ID != a.ID || got.ContactID != ben || got.Name != "phone" || !got.CreatedAt.Equal(now) ||
		got.RevokedAt != nil || got.ExpiresAt != nil || id.Contact.ID != ben {
		t.Errorf("by hash: %+v %v", id, err)
	}
	_, err = stores.Accounts.IdentityByTokenHash(ctx, "f1")
	wantNotFound(t, "a feed token among API tokens", err)
	if err := st.TouchCalendarFeed(ctx, a.ID, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantNotFound(t, "revoke another contact's feed", st.RevokeCalendarFeed(ctx, ava, a.ID, now))
	if err := st.RevokeCalendarFeed(ctx, ben, a.ID, now); err != nil {
		t.Fatal(err)
	}
	wantNotFound(t, "revoke twice", st.RevokeCalendarFeed(ctx, ben, a.ID, now))
	list, err := st.CalendarFeeds(ctx, ben)
	if err != nil || len(list) != 1 || list[0].ID != b.ID {
		t.Errorf("live feeds: %+v %v", list, err)
	}
	if id, _ := st.IdentityByFeedHash(ctx, "f1"); id.Token.RevokedAt == nil || id.Token.LastUsedAt == nil ||
		!id.Token.LastUsedAt.Equal(now.Add(time.Minute)) {
		t.Errorf("revoked feed keeps its history: %+v", id.Token)
	}
}

// testProjectEvents: the events of exactly the projects the query selects,
// by id, in one call; none on a copy of a source without a calendar.
func testProjectEvents(t *testing.T, stores store.Stores, o Options) {
	st := stores.Data
	events := func(q store.ProjectQuery) ([]int64, error) {
		var got []int64
		err := st.ProjectEvents(ctx, q, func(e api.Event) error { got = append(got, e.ID); return nil })
		return got, err
	}
	member := store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{contoso}, MemberContactID: ben}}
	got, err := events(member)
	if o.NoEvents {
		if err != nil || len(got) != 0 {
			t.Errorf("ProjectEvents on a copy of a source without a calendar: %v %v, want none", got, err)
		}
		return
	}
	if err != nil || !slices.Equal(got, []int64{950, 951}) {
		t.Errorf("ben's projects' events: %v %v", got, err)
	}
	if got, _ := events(store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{logistics}}}); len(got) != 0 {
		t.Errorf("another organization's projects have events %v", got)
	}
	if got, _ := events(store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{contoso}}, ID: 3, IncludeCompleted: true}); len(got) != 0 {
		t.Errorf("project 3 has events %v", got)
	}
	if got, _ := events(store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{contoso}}, Number: "P20260105.0001"}); !slices.Equal(got, []int64{950, 951}) {
		t.Errorf("by number: %v", got)
	}
}

// testCalendarVersions: a new item is revision 0, a changed hash the next
// revision at the time of the change, an unchanged one keeps its revision;
// concurrent readers that see the same change bump it once.
func testCalendarVersions(t *testing.T, stores store.Stores) {
	st := stores.Calendar
	t0 := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	items := func(hashes ...string) []store.CalendarVersion {
		var out []store.CalendarVersion
		for i, h := range hashes {
			out = append(out, store.CalendarVersion{UID: "item-" + string(rune('a'+i)), Hash: h})
		}
		return out
	}
	first := items("h1", "h2")
	domain, err := st.CalendarVersions(ctx, t0, first)
	if err != nil || !strings.HasSuffix(domain, ".portald") || len(domain) < 16 {
		t.Fatalf("first read: %q %v", domain, err)
	}
	for _, v := range first {
		if v.Sequence != 0 || !v.Modified.Equal(t0) {
			t.Errorf("new item %+v", v)
		}
	}
	second := items("h1", "h2b")
	again, err := st.CalendarVersions(ctx, t0.Add(time.Hour), second)
	if err != nil || again != domain {
		t.Fatalf("second read: %q %v (domain was %q)", again, err, domain)
	}
	if second[0].Sequence != 0 || !second[0].Modified.Equal(t0) || second[1].Sequence != 1 || !second[1].Modified.Equal(t0.Add(time.Hour)) {
		t.Errorf("after one change: %+v", second)
	}
	// Many readers see the same change at once: one revision, not many.
	var wg sync.WaitGroup
	results := make([][]store.CalendarVersion, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = items("h1", "h2c")
			if _, err := st.CalendarVersions(ctx, t0.Add(2*time.Hour), results[i]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r[1].Sequence != 2 || r[0].Sequence != 0 {
			t.Errorf("concurrent readers of one change: %+v", r)
		}
	}
	// Many items: more than one read of the stored versions.
	many := make([]store.CalendarVersion, 1200)
	for i := range many {
		many[i] = store.CalendarVersion{UID: "bulk-" + strings.Repeat("x", i%7) + string(rune('0'+i%10)) + time.Duration(i).String(), Hash: "h"}
	}
	if _, err := st.CalendarVersions(ctx, t0, many); err != nil {
		t.Fatal(err)
	}
	many[1100].Hash = "changed"
	if _, err := st.CalendarVersions(ctx, t0.Add(time.Hour), many); err != nil || many[1100].Sequence != 1 || many[5].Sequence != 0 {
		t.Errorf("1200 items: %+v %+v %v", many[1100], many[5], err)
	}
}
