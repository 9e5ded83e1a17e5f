package portal_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/ical"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

func feedKeys(cal ical.Calendar) string {
	var keys []string
	for _, it := range cal.Items {
		keys = append(keys, it.Key)
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}

// TestCalendarFeedScope: each user's feed holds the calendar events of My
// Projects (open ones, with view_schedule), those projects' start and end
// dates and the due dates of My Open Tasks, and nothing of anyone else's.
func TestCalendarFeedScope(t *testing.T) { portaltest.EachBackend(t, testCalendarFeedScope) }

func testCalendarFeedScope(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	tests := []struct{ user, project, want string }{
		{"ben", "", "event-950 event-951 project-1-end project-1-start task-100-due task-105-due"},
		// No view_schedule: no project calendar; the dates are on the project's summary.
		{"nora", "", "project-1-end project-1-start task-100-due"},
		{"ava", "", "event-950 event-951 project-1-end project-1-start project-2-start task-100-due task-101-due"},
		{"bob", "", ""},
		// End-client projects are not My Projects.
		{"chloe", "", "project-6-start"},
		{"sam", "", "project-2-start"},
		{"ava", "P20260110.0002", "project-2-start"},
		// One project, whatever its status.
		{"adam", "P20251101.0003", ""},
	}
	for _, tt := range tests {
		t.Run(tt.user+" "+tt.project, func(t *testing.T) {
			cal, err := svc.CalendarFeed(ctx, portaltest.User(t, svc, tt.user), tt.project)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if backend == "autotask" { // no project calendar in Autotask: the dates remain
				want = strings.Join(slices.DeleteFunc(strings.Fields(want), func(k string) bool { return strings.HasPrefix(k, "event-") }), " ")
			}
			if got := feedKeys(cal); got != want {
				t.Errorf("feed of %s: %q, want %q", tt.user, got, want)
			}
			if cal.TimeZone == "" {
				t.Error("no time zone")
			}
		})
	}
	_, err := svc.CalendarFeed(ctx, portaltest.User(t, svc, "ben"), "P20260110.0002")
	wantCode(t, err, api.CodeNotFound)
}

// TestCalendarAllDayEventsKeepTheirDates: an all-day event's days are the
// UTC dates the data gives (ends_at exclusive at midnight), never moved by
// a time zone, whatever the organization's.
func TestCalendarAllDayEventsKeepTheirDates(t *testing.T) {
	var data map[string]any
	if err := json.Unmarshal(portaltest.FixtureJSON, &data); err != nil {
		t.Fatal(err)
	}
	data["events"] = append(data["events"].([]any),
		map[string]any{"id": 960, "project_id": 1, "title": "Weekend", "all_day": true,
			"starts_at": "2026-03-14T00:00:00Z", "ends_at": "2026-03-16T00:00:00Z"},
		map[string]any{"id": 961, "project_id": 1, "title": "One day, inclusive end", "all_day": true,
			"starts_at": "2026-03-20T00:00:00Z", "ends_at": "2026-03-20T23:59:59Z"},
		map[string]any{"id": 962, "project_id": 1, "title": "No length", "all_day": true,
			"starts_at": "2026-03-25T00:00:00Z", "ends_at": "2026-03-25T00:00:00Z"})
	raw, _ := json.Marshal(data)
	svc, _ := portaltest.NewServiceWith(t, "sqlite", raw, portal.Options{})
	cal, err := svc.CalendarFeed(ctx, portaltest.User(t, svc, "ben"), "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]api.Date{"event-960": {"2026-03-14", "2026-03-16"}, "event-961": {"2026-03-20", "2026-03-21"},
		"event-962": {"2026-03-25", "2026-03-26"}}
	for _, it := range cal.Items {
		if w, ok := want[it.Key]; ok {
			if !it.AllDay || it.StartDate != w[0] || it.EndDate != w[1] {
				t.Errorf("%s: all-day %v %s – %s, want %s – %s", it.Key, it.AllDay, it.StartDate, it.EndDate, w[0], w[1])
			}
			delete(want, it.Key)
		}
	}
	if len(want) != 0 {
		t.Errorf("missing %v", want)
	}
}

// TestFeedTokensReadOnlyTheFeed: a feed token authenticates the feed and
// nothing else, an API token never the feed; revoked tokens and disabled
// contacts are refused.
func TestFeedTokensReadOnlyTheFeed(t *testing.T) {
	portaltest.EachBackend(t, testFeedTokensReadOnlyTheFeed)
}

func testFeedTokensReadOnlyTheFeed(t *testing.T, backend string) {
	svc, db := portaltest.NewServiceOn(t, backend, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	f, err := svc.CreateCalendarFeed(ctx, ben, api.NewCalendarFeed{})
	if err != nil || f.Name != "calendar" || !strings.HasPrefix(f.Token, "pcf_") {
		t.Fatalf("create: %+v %v", f, err)
	}
	u, err := svc.AuthenticateFeed(ctx, f.Token)
	if err != nil || u.Contact.Username != "ben" || u.FeedID != f.ID || u.TokenID != 0 {
		t.Fatalf("feed token: %+v %v", u, err)
	}
	_, err = svc.Authenticate(ctx, f.Token)
	wantCode(t, err, api.CodeUnauthenticated)
	_, err = svc.AuthenticateFeed(ctx, portaltest.Token(t, svc, "ben"))
	wantCode(t, err, api.CodeUnauthenticated)
	_, err = svc.CreateCalendarFeed(ctx, ben, api.NewCalendarFeed{Name: strings.Repeat("x", 256)})
	wantCode(t, err, api.CodeInvalidRequest)

	feeds, err := svc.CalendarFeeds(ctx, ben)
	if err != nil || len(feeds) != 1 || feeds[0].ID != f.ID || feeds[0].LastUsedAt == nil {
		t.Fatalf("feeds: %+v %v", feeds, err)
	}
	wantCode(t, svc.RevokeCalendarFeed(ctx, portaltest.User(t, svc, "ava"), f.ID), api.CodeNotFound)
	if err := svc.RevokeCalendarFeed(ctx, ben, f.ID); err != nil {
		t.Fatal(err)
	}
	_, err = svc.AuthenticateFeed(ctx, f.Token)
	wantCode(t, err, api.CodeUnauthenticated)

	dora, err := db.Accounts.ContactByUsername(ctx, "dora")
	if err != nil {
		t.Fatal(err)
	}
	secret := "pcf_dora"
	if _, err := db.Calendar.CreateCalendarFeed(ctx, store.CalendarFeed{ContactID: dora.ID, Hash: portal.HashToken(secret), CreatedAt: portaltest.Now}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.AuthenticateFeed(ctx, secret)
	wantCode(t, err, api.CodeUnauthenticated)
}
