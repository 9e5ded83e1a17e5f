package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// TestClientGoneIsNotAnInternalError: a client that hangs up mid-request
// (wrk at the end of a run, a Ctrl-C'd portalctl) used to log
// "internal error" at level ERROR for each request in flight.
func TestClientGoneIsNotAnInternalError(t *testing.T) {
	var logs bytes.Buffer // read only after the handler is done
	h := &handler{log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	started, done := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		streamRows(h, w, r, func(_ store.Page, _ func(int) error) error {
			close(started)
			<-r.Context().Done() // a query the driver interrupts when the client leaves
			return fmt.Errorf("query: %w", r.Context().Err())
		}, nil)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	go func() { <-started; cancel() }()
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v, want context.Canceled", err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not notice the client leaving")
	}
	if got := logs.String(); strings.Contains(got, `"level":"ERROR"`) || !strings.Contains(got, "client went away") {
		t.Errorf("logs:\n%s", got)
	}
}

// TestWriteErrorTellsClientGoneFromOurFaults: only a cancellation of the
// request itself is the client leaving; our own deadline, or a cancellation
// while the request is alive, is still an internal error.
func TestWriteErrorTellsClientGoneFromOurFaults(t *testing.T) {
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	late, cancelLate := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelLate()
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		err    error
		status int
		level  string
	}{
		{"client closed the connection", gone, fmt.Errorf("query: %w", context.Canceled), statusClientClosed, "DEBUG"},
		{"our own deadline", late, context.DeadlineExceeded, http.StatusInternalServerError, "ERROR"},
		{"cancelled inside, request alive", context.Background(), context.Canceled, http.StatusInternalServerError, "ERROR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := &handler{log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			rec := httptest.NewRecorder()
			h.writeError(rec, httptest.NewRequestWithContext(tc.ctx, "GET", "/v1/projects", nil), tc.err)
			if rec.Code != tc.status || !strings.Contains(logs.String(), `"level":"`+tc.level+`"`) {
				t.Errorf("status %d, logs %s; want %d at %s", rec.Code, logs.String(), tc.status, tc.level)
			}
		})
	}
}
