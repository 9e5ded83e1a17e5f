package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/testutil/icaltest"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// subscribe creates a calendar subscription for user over the API.
func (e *env) subscribe(user string) api.CreatedCalendarFeed {
	e.t.Helper()
	status, _, body := e.call("POST", "/v1/calendar/feeds", e.token(user), `{"name":"phone"}`)
	var f api.CreatedCalendarFeed
	if status != 201 || json.Unmarshal([]byte(body), &f) != nil {
		e.t.Fatalf("subscribe %s: %d %s", user, status, body)
	}
	return f
}

func uids(c icaltest.Calendar) []string {
	var out []string
	for _, ev := range c.Events {
		out = append(out, strings.SplitN(ev.UID, "@", 2)[0])
	}
	slices.Sort(out)
	return out
}

// TestCalendarFeed: a calendar app reads ben's feed with the URL portald
// gave, and python3-icalendar (not ours) reads in it his project's dates
// and calendar events, and the due dates of his open tasks; portalctl's
// bearer token reads the same feed. On Autotask, which has no project
// calendar, the dates are still there.
func TestCalendarFeed(t *testing.T) { portaltest.EachBackend(t, testCalendarFeed) }

func testCalendarFeed(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	f := e.subscribe("ben")
	if !strings.HasPrefix(f.Token, api.FeedTokenPrefix) || f.Path != "/v1/calendar.ics?token="+f.Token || f.Name != "phone" {
		t.Fatalf("subscription %+v", f)
	}
	status, hdr, body := e.call("GET", f.Path, "", "")
	if status != 200 || hdr.Get("Content-Type") != "text/calendar; charset=utf-8" || hdr.Get("ETag") == "" ||
		!strings.Contains(hdr.Get("Cache-Control"), "private") {
		t.Fatalf("feed: %d %v %.300s", status, hdr, body)
	}
	icaltest.CheckLines(t, []byte(body))
	cal := icaltest.Parse(t, []byte(body))
	want := []string{"event-950", "event-951", "project-1-end", "project-1-start", "task-100-due", "task-105-due"}
	if backend == "autotask" {
		want = []string{"project-1-end", "project-1-start", "task-100-due", "task-105-due"}
	}
	if got := uids(cal); !slices.Equal(got, want) {
		t.Fatalf("ben's feed holds %v, want %v", got, want)
	}
	if cal.Properties["X-WR-TIMEZONE"] != "America/Chicago" {
		t.Errorf("time zone %v", cal.Properties)
	}
	for _, ev := range cal.Events {
		if ev.Sequence != 0 || ev.LastModified != "2026-02-15T12:00:00+00:00" {
			t.Errorf("%s: sequence %d, last modified %s; want 0 and the first time portald saw it", ev.UID, ev.Sequence, ev.LastModified)
		}
		if !strings.HasSuffix(ev.UID, ".portald") {
			t.Errorf("UID %s has no domain", ev.UID)
		}
	}
	due := eventByKey(t, cal, "task-105-due")
	if due.Start != (icaltest.When{Kind: "date", Value: "2026-01-31"}) || due.End != (icaltest.When{Kind: "date", Value: "2026-02-01"}) ||
		due.Summary != "Due: Sign off test plan (T20260105.0006)" {
		t.Errorf("task due %+v", due)
	}
	if start := eventByKey(t, cal, "project-1-start"); start.Start.Value != "2026-01-05" || start.Start.Kind != "date" {
		t.Errorf("project start %+v", start)
	}
	if backend != "autotask" {
		ev := eventByKey(t, cal, "event-950")
		if ev.Start.Value != "2026-03-28T14:00:00+00:00" || ev.Start.Zoneinfo != "2026-03-28T09:00:00-05:00" ||
			ev.Start.VTimezone != ev.Start.Zoneinfo || ev.Location != "Remote" || ev.Summary != "Cut-over weekend" {
			t.Errorf("event 950 %+v", ev)
		}
	}

	// portalctl reads the same feed with its bearer token.
	_, _, bearer := e.call("GET", "/v1/calendar.ics", e.token("ben"), "")
	if bearer != body {
		t.Error("the feed read with the bearer token differs from the subscription's")
	}
	// One project: only its items.
	_, _, one := e.call("GET", "/v1/calendar.ics?project=P20260105.0001&token="+url.QueryEscape(f.Token), "", "")
	if got := uids(icaltest.Parse(t, []byte(one))); !slices.Equal(got, want) {
		t.Errorf("P20260105.0001's feed holds %v", got)
	}
	if status, _, body := e.call("GET", "/v1/calendar.ics?project=5&token="+f.Token, "", ""); status != 404 {
		t.Errorf("a project ben may not see: %d %s", status, body)
	}
}

func eventByKey(t *testing.T, c icaltest.Calendar, key string) icaltest.Event {
	t.Helper()
	for _, ev := range c.Events {
		if strings.HasPrefix(ev.UID, key+"@") {
			return ev
		}
	}
	t.Fatalf("no %s in the feed", key)
	return icaltest.Event{}
}

// TestCalendarFeedNotModified: a reader whose copy is current (its ETag in
// If-None-Match) gets 304 and no body.
func TestCalendarFeedNotModified(t *testing.T) {
	e := newEnvOn(t, "sqlite", httpapi.Options{})
	f := e.subscribe("ben")
	_, hdr, _ := e.call("GET", f.Path, "", "")
	etag := hdr.Get("ETag")
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		status, hdr2, body := e.call("GET", f.Path, "", "", "If-None-Match", inm)
		if status != 304 || body != "" || hdr2.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d %q %v", inm, status, body, hdr2)
		}
	}
	if status, _, _ := e.call("GET", f.Path, "", "", "If-None-Match", `"stale"`); status != 200 {
		t.Errorf("a stale ETag: %d, want 200", status)
	}
}

// TestCalendarFeedRevisions: an item whose content changes gets SEQUENCE
// 1 and LAST-MODIFIED of that read, and a new ETag; the others keep theirs.
func TestCalendarFeedRevisions(t *testing.T) {
	clock := portaltest.Now
	svc, db := portaltest.NewServiceOn(t, "sqlite", portalOptionsAt(&clock))
	e := newEnvWith(t, svc, db, httpapi.Options{})
	f := e.subscribe("ben")
	_, hdr, _ := e.call("GET", f.Path, "", "")
	clock = clock.Add(48 * time.Hour)
	renameEvent(t, db, 950, "Cut-over weekend (moved)")
	status, hdr2, body := e.call("GET", f.Path, "", "", "If-None-Match", hdr.Get("ETag"))
	if status != 200 || hdr2.Get("ETag") == hdr.Get("ETag") {
		t.Fatalf("after a change: %d, ETag %s then %s", status, hdr.Get("ETag"), hdr2.Get("ETag"))
	}
	cal := icaltest.Parse(t, []byte(body))
	moved := eventByKey(t, cal, "event-950")
	if moved.Summary != "Cut-over weekend (moved)" || moved.Sequence != 1 || moved.LastModified != "2026-02-17T12:00:00+00:00" {
		t.Errorf("changed event: %+v", moved)
	}
	if other := eventByKey(t, cal, "event-951"); other.Sequence != 0 || other.LastModified != "2026-02-15T12:00:00+00:00" {
		t.Errorf("unchanged event: %+v", other)
	}
	// Read again: nothing changed, nothing moves.
	_, _, again := e.call("GET", f.Path, "", "")
	if again != body {
		t.Error("a second read of an unchanged feed differs")
	}
}

// TestCalendarFeedTokenRevokedAndNeverLogged: a revoked subscription's URL
// answers 401 saying what to do; another user cannot revoke it; the
// secret appears in no log line, read or refused.
func TestCalendarFeedTokenRevokedAndNeverLogged(t *testing.T) {
	e := newEnvOn(t, "sqlite", httpapi.Options{})
	f := e.subscribe("ben")
	if status, _, _ := e.call("GET", f.Path, "", ""); status != 200 {
		t.Fatal(status)
	}
	_, _, list := e.call("GET", "/v1/calendar/feeds", e.token("ben"), "")
	if strings.Contains(list, f.Token) || !strings.Contains(list, `"name":"phone"`) || !strings.Contains(list, `"last_used_at":"2026-02-15T12:00:00Z"`) {
		t.Errorf("subscriptions: %s", list)
	}
	path := "/v1/calendar/feeds/" + jsonInt(f.ID)
	if status, _, _ := e.call("DELETE", path, e.token("ava"), ""); status != 404 {
		t.Errorf("ava revoked ben's subscription: %d", status)
	}
	if status, _, _ := e.call("DELETE", path, e.token("ben"), ""); status != 204 {
		t.Fatalf("revoke: %d", status)
	}
	status, _, body := e.call("GET", f.Path, "", "")
	if status != 401 || !strings.Contains(errorOf(t, body).Message, "portalctl calendar subscribe") {
		t.Errorf("revoked feed: %d %s", status, body)
	}
	if status, _, _ := e.call("DELETE", path, e.token("ben"), ""); status != 404 {
		t.Errorf("revoking twice: %d", status)
	}
	if strings.Contains(e.logs.String(), f.Token) || strings.Contains(e.logs.String(), strings.TrimPrefix(f.Token, "pcf_")) {
		t.Errorf("the feed token is in the log:\n%s", e.logs)
	}
	if !strings.Contains(e.logs.String(), `"route":"GET /v1/calendar.ics"`) {
		t.Errorf("the feed reads are not in the access log:\n%s", e.logs)
	}
}

func jsonInt(id int64) string { b, _ := json.Marshal(id); return string(b) }

// TestAPITokenNeverReadsTheFeedFromTheURL: an API token in the URL is
// refused (it would end up in browser histories and proxy logs).
func TestAPITokenNeverReadsTheFeedFromTheURL(t *testing.T) {
	e := newEnvOn(t, "sqlite", httpapi.Options{})
	status, _, body := e.call("GET", "/v1/calendar.ics?token="+e.token("ben"), "", "")
	if status != 401 {
		t.Errorf("API token in the URL: %d %s", status, body)
	}
}

// newEnvWith serves the API of svc on db.
func newEnvWith(t *testing.T, svc *portal.Service, db portaltest.Store, opt httpapi.Options) *env {
	logs := &bytes.Buffer{}
	opt.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	srv := httptest.NewServer(httpapi.New(svc, db.Accounts, opt))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: svc, db: db, logs: logs, contract: newContract(t)}
}

// portalOptionsAt is a rules layer whose clock reads *clock.
func portalOptionsAt(clock *time.Time) portal.Options {
	return portal.Options{Now: func() time.Time { return *clock }}
}

// renameEvent changes an event's title as an import would.
func renameEvent(t *testing.T, db portaltest.Store, id int64, title string) {
	t.Helper()
	err := db.DB.Import(context.Background(), func(w dataset.Writer) error {
		return w.Write(&dataset.Event{ID: id, ProjectID: 1, Title: title, StartsAt: time.Date(2026, 3, 28, 14, 0, 0, 0, time.UTC),
			EndsAt: time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC), Location: "Remote"})
	})
	if err != nil {
		t.Fatal(err)
	}
}
