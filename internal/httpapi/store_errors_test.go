package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
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

// brokenAttachment is the fixture store whose attachment 900 claims 200 KiB
// and fails after 100 KiB, as when an import replaces it mid-way.
type brokenAttachment struct {
	portaltest.Store
}

func (b brokenAttachment) AttachmentContent(ctx context.Context, id int64) (store.AttachmentContent, error) {
	c, err := b.Store.AttachmentContent(ctx, id)
	if err != nil {
		return c, err
	}
	c.Size = 200 << 10
	c.Content = failAfter{io.LimitReader(zeros{}, 100<<10), c.Content}
	return c, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type failAfter struct {
	r io.Reader
	io.Closer
}

func (f failAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("attachment 900 changed while it was read")
	}
	return n, err
}

// TestDownloadCutWhenTheStoreFails: a download whose content fails after
// the headers went out is cut, so the client sees fewer bytes than the
// Content-Length (never a complete-looking file), and the failure is
// logged. (A failure in the first 64 KiB, read before the headers, is an
// ordinary error answer.)
func TestDownloadCutWhenTheStoreFails(t *testing.T) {
	db := portaltest.NewStore(t)
	svc := portal.New(brokenAttachment{db}, portal.Options{Now: func() time.Time { return portaltest.Now }})
	var logs bytes.Buffer
	srv := httptest.NewServer(httpapi.New(svc, httpapi.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/v1/attachments/900/content", nil)
	req.Header.Set("Authorization", "Bearer "+portaltest.Token(t, svc, "ben"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) || len(body) != 100<<10 {
		t.Fatalf("status %d, %d bytes, read error %v: want the 100 KiB read, then the body cut short of its 200 KiB", resp.StatusCode, len(body), err)
	}
	srv.Close() // waits for the handler: its log line is written after the client saw the cut
	if !strings.Contains(logs.String(), "download failed") {
		t.Errorf("the failure was not logged: %s", logs.String())
	}
}
