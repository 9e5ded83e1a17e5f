package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// failingStore is the real fixture store whose project lists and calendar
// fail the way the Autotask bridge's do when Autotask cannot answer.
type failingStore struct {
	portaltest.Store
	projectsErr error
}

func (f failingStore) Projects(ctx context.Context, q store.ProjectQuery, each func(api.Project) error) error {
	if f.projectsErr != nil {
		return f.projectsErr
	}
	return f.Store.Projects(ctx, q, each)
}

func (f failingStore) Events(context.Context, int64, *time.Time, *time.Time, func(api.Event) error) error {
	return store.ErrUnsupported
}

func TestUpstreamErrorsAreServiceUnavailableNotEmpty(t *testing.T) {
	down := &store.UnavailableError{Reason: "Autotask is not answering: connection refused", Err: fmt.Errorf("dial")}
	limited := &store.UnavailableError{Reason: "Autotask's hourly request budget is spent", RateLimited: true, RetryAfter: 1500 * time.Millisecond}
	slow := &store.UnavailableError{Reason: "Autotask is slow", RetryAfter: 30 * time.Second}
	busy := &store.BusyError{Reason: "the portal's database is busy (an import may be running); retry in a moment",
		RetryAfter: 2 * time.Second, Err: fmt.Errorf("database is locked (5) (SQLITE_BUSY)")}
	full := &store.BusyError{Reason: "the disk holding the portal's database is full", RetryAfter: 30 * time.Second, DiskFull: true}
	cases := []struct {
		name       string
		err        error
		path       string
		status     int
		code       string
		retryAfter string
	}{
		{"down", down, "/v1/projects", 503, api.CodeUpstreamUnavailable, ""},
		{"wrapped", fmt.Errorf("projects: %w", down), "/v1/projects", 503, api.CodeUpstreamUnavailable, ""},
		{"budget", limited, "/v1/projects", 429, api.CodeRateLimited, "2"},
		{"retry after on 503", slow, "/v1/projects", 503, api.CodeUpstreamUnavailable, "30"},
		{"no calendar", nil, "/v1/projects/1/calendar", 501, api.CodeNotSupported, ""},
		// The portal's own database: busy or full is a 503 unavailable
		// with Retry-After (portalctl retries it), never a 500.
		{"database busy", busy, "/v1/projects", 503, api.CodeUnavailable, "2"},
		{"disk full", fmt.Errorf("projects: %w", full), "/v1/projects", 503, api.CodeUnavailable, "30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := portaltest.NewStore(t)
			svc := portal.New(failingStore{Store: db, projectsErr: c.err}, portal.Options{Now: func() time.Time { return portaltest.Now }})
			srv := httptest.NewServer(httpapi.New(svc, httpapi.Options{}))
			t.Cleanup(srv.Close)
			e := &env{t: t, srv: srv, svc: svc, db: db, contract: newContract(t)}
			status, hdr, body := e.call("GET", c.path, e.token("ben"), "")
			got := errorOf(t, body)
			if status != c.status || got.Code != c.code || hdr.Get("Retry-After") != c.retryAfter {
				t.Fatalf("got %d %s Retry-After %q (%s), want %d %s %q", status, got.Code, hdr.Get("Retry-After"), body, c.status, c.code, c.retryAfter)
			}
			if c.err != nil && got.Message == "" {
				t.Errorf("the message must say why: %s", body)
			}
		})
	}
}
