package autotask_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/pkg/api"
)

var contosoScope = store.ProjectScope{OrgIDs: []int64{100, 101, 102}}

// listProjects returns the rows a projects list emitted and its error.
func listProjects(b *bridge) (int, error) {
	n := 0
	err := b.Projects(ctx, store.ProjectQuery{Scope: contosoScope, IncludeCompleted: true}, func(api.Project) error { n++; return nil })
	return n, err
}

// TestFaults: whatever goes wrong upstream, a list fails with the error
// type the HTTP layer maps (503 upstream_unavailable, or 429 with
// Retry-After), a one-line reason, and never an empty or partial success.
func TestFaults(t *testing.T) {
	t.Parallel()
	fixture := storetest.Fixture(t)
	tests := []struct {
		name        string
		tune        func(*atemu.Options, *at.Config)
		fault       func(b *bridge)
		rateLimited bool
		reason      string
	}{
		{"Autotask down", nil, func(b *bridge) { b.emu.SetDown(true) }, false, "Autotask is not answering"},
		{"500 with an error body", nil, func(b *bridge) { b.emu.FailNext(10, 500, "Object reference not set") }, false,
			"Autotask answered an error: 500 Internal Server Error: Object reference not set"},
		{"429 from Autotask", nil, func(b *bridge) { b.emu.FailNext(10, 429, "threshold reached") }, true,
			"Autotask's hourly request limit is reached"},
		// The client adopts Autotask's threshold (ThresholdInformation), so
		// it stops before Autotask answers 429.
		{"Autotask's threshold spent", func(e *atemu.Options, _ *at.Config) { e.HourlyLimit = 12 }, nil, true,
			"portald's hourly budget of Autotask requests is spent; retry after"},
		{"portald's own budget spent", func(_ *atemu.Options, c *at.Config) { c.HourlyLimit = 10 }, nil, true,
			"portald's hourly budget of Autotask requests is spent"},
		{"Autotask too slow", func(_ *atemu.Options, c *at.Config) { c.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond} },
			func(b *bridge) { b.emu.SetLatency(time.Second) }, false, "Autotask is not answering: no answer"},
		{"expired credentials", nil, func(b *bridge) { b.emu.FailNext(10, 401, "Unauthorized") }, false,
			"Autotask refused portald's API credentials: check AUTOTASK_USERNAME"},
		{"second page lost", func(_ *atemu.Options, c *at.Config) {
			c.HTTPClient = &http.Client{Transport: failNextPages{}}
		}, nil, false, "Autotask is not answering"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var tune []func(*atemu.Options, *at.Config)
			if tt.tune != nil {
				tune = append(tune, tt.tune)
			}
			if tt.name == "second page lost" {
				tune = append(tune, func(e *atemu.Options, _ *at.Config) { e.PageSize = 50 })
			}
			b := newBridge(t, fixture, autotask.Options{}, tune...)
			listProjects(b) // warm the caches: the fault hits the list itself
			if tt.fault != nil {
				tt.fault(b)
			}
			var rows int
			var err error
			for range 12 { // the budget cases fail once their budget is spent
				if rows, err = listProjects(b); err != nil {
					break
				}
			}
			var un *store.UnavailableError
			if !errors.As(err, &un) {
				t.Fatalf("got %d rows and %v, want a *store.UnavailableError", rows, err)
			}
			if un.RateLimited != tt.rateLimited || !strings.Contains(un.Reason, tt.reason) || strings.Contains(un.Reason, "\n") ||
				strings.Contains(un.Reason, creds.Secret) {
				t.Errorf("reason %q (rate limited %v), want one line with %q (rate limited %v)", un.Reason, un.RateLimited, tt.reason, tt.rateLimited)
			}
			t.Logf("%d rows emitted; reason: %s", rows, un.Reason)
			if strings.Contains(tt.reason, "retry after") && un.RetryAfter <= 0 {
				t.Errorf("a rate limit says when to retry: %+v", un)
			}
		})
	}
}

// failNextPages drops every nextPageUrl fetch (GET …/query/next) like a
// connection reset, so a list fails after its first page.
type failNextPages struct{}

func (failNextPages) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/query/next") {
		return nil, errors.New("connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestIssueWritesAreNotDuplicated: an issue whose creation may have reached
// Autotask keeps its Idempotency-Key reserved (a retry is told to wait, and
// cannot file it twice); one Autotask refused frees the key.
func TestIssueWritesAreNotDuplicated(t *testing.T) {
	t.Parallel()
	b := newBridge(t, storetest.Fixture(t), autotask.Options{})
	issue := store.NewIssue{ProjectID: 1, ContactID: 1002, Title: "Printer", Priority: "high", CreatedAt: fixedNow}
	key := func(k string) *store.Idempotency {
		return &store.Idempotency{ContactID: 1002, Key: k, RequestHash: "h", CreatedAt: fixedNow}
	}
	tasks := len(b.emu.Records("Tasks"))
	if _, err := b.CreateIssue(ctx, issue, key("warm")); err != nil { // picklists cached: the next call is the create
		t.Fatal(err)
	}
	tasks++

	b.emu.FailNext(1, 500, "Internal Server Error")
	_, err := b.CreateIssue(ctx, issue, key("k5xx"))
	var un *store.UnavailableError
	if !errors.As(err, &un) {
		t.Fatalf("create on a 500: %v, want *store.UnavailableError", err)
	}
	_, err = b.IdempotencyKey(ctx, 1002, "k5xx", fixedNow.Add(-store.IdempotencyTTL))
	if !errors.As(err, &un) || un.RetryAfter <= 0 || !strings.Contains(un.Reason, "still being filed") {
		t.Errorf("the key of a create that may have happened stays reserved: %v", err)
	}
	if _, err := b.CreateIssue(ctx, issue, key("k5xx")); !errors.Is(err, store.ErrConflict) {
		t.Errorf("retrying with the reserved key: %v, want store.ErrConflict (nothing filed twice)", err)
	}

	b.emu.FailNext(1, 400, "title is required")
	if _, err := b.CreateIssue(ctx, issue, key("k4xx")); !errors.As(err, &un) {
		t.Fatalf("create on a 400: %v", err)
	}
	if _, err := b.IdempotencyKey(ctx, 1002, "k4xx", fixedNow.Add(-store.IdempotencyTTL)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused create frees its key: %v", err)
	}
	if got := len(b.emu.Records("Tasks")); got != tasks {
		t.Errorf("%d tasks in Autotask, want %d: a failed create must not be retried", got, tasks)
	}
}

// A create whose answer was lost leaves a reservation; the retry finds the
// task Autotask did file (by its externalID) instead of filing a second one,
// and a reservation whose create never reached Autotask is released once it
// can no longer be in flight.
func TestLostIssueAnswersSettle(t *testing.T) {
	t.Parallel()
	b := newBridge(t, storetest.Fixture(t), autotask.Options{})
	local := b.Store.Local()
	filed := store.Idempotency{ContactID: 1002, Key: "lost-answer", RequestHash: "h", CreatedAt: fixedNow}
	if err := local.ReserveIdempotencyKey(ctx, filed); err != nil {
		t.Fatal(err)
	}
	id, err := b.client.Create(ctx, "Projects/1/Tasks", map[string]any{"projectID": 1, "title": "Printer", "status": newTaskStatus(t, b),
		"taskType": 1, "externalID": autotask.IssueMarker(1002, "lost-answer")})
	if err != nil {
		t.Fatal(err)
	}
	k, err := b.IdempotencyKey(ctx, 1002, "lost-answer", fixedNow.Add(-store.IdempotencyTTL))
	if err != nil || k.TaskID != id {
		t.Errorf("the lost answer's task: %+v %v, want task %d", k, err, id)
	}

	never := store.Idempotency{ContactID: 1002, Key: "never-sent", RequestHash: "h", CreatedAt: fixedNow.Add(-2 * time.Minute)}
	if err := local.ReserveIdempotencyKey(ctx, never); err != nil {
		t.Fatal(err)
	}
	if _, err := b.IdempotencyKey(ctx, 1002, "never-sent", fixedNow.Add(-store.IdempotencyTTL)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a settled reservation without a task: %v, want store.ErrNotFound", err)
	}
	issue, err := b.CreateIssue(ctx, store.NewIssue{ProjectID: 1, ContactID: 1002, Title: "Printer", CreatedAt: fixedNow},
		&store.Idempotency{ContactID: 1002, Key: "never-sent", RequestHash: "h", CreatedAt: fixedNow})
	if err != nil {
		t.Fatalf("filing again once released: %v", err)
	}
	if got := b.emu.Record("Tasks", issue.ID)["externalID"]; got != autotask.IssueMarker(1002, "never-sent") {
		t.Errorf("an issue filed with a key carries its marker, got externalID %v", got)
	}
}

// newTaskStatus is the emulator's id of the task status labelled New.
func newTaskStatus(t *testing.T, b *bridge) int64 {
	t.Helper()
	fields, err := b.client.Fields(ctx, "Tasks")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		for _, v := range f.PicklistValues {
			if f.Name == "status" && v.Label == "New" {
				id, _ := strconv.ParseInt(v.Value, 10, 64)
				return id
			}
		}
	}
	t.Fatal("no task status New")
	return 0
}
