package autotask

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The credentials every test client uses; tests assert they never appear in
// error strings or logs.
var testCreds = Credentials{
	Username:        "api-user@example.com",
	Secret:          "S3cret-Value-42",
	IntegrationCode: "INTEGRATION-CODE-XYZ",
}

const apiPrefix = "/atservicesrest/v1.0/"

// seenRequest is one request a fake Autotask server received.
type seenRequest struct {
	Method, Path, Query, Body string
	Header                    http.Header
}

// fakeAutotask is a minimal Autotask written per test: handle answers the
// calls under /atservicesrest/v1.0/ (path given without that prefix), and
// ThresholdInformation answers threshold unless handle is asked for it.
type fakeAutotask struct {
	*httptest.Server
	mu        sync.Mutex
	seen      []seenRequest
	threshold string
	handle    func(w http.ResponseWriter, r *http.Request, path, body string)
}

func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, path, body string)) *fakeAutotask {
	t.Helper()
	f := &fakeAutotask{
		handle:    handle,
		threshold: `{"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":0}`,
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		path := r.URL.Path // Autotask spells the prefix in either case
		if len(path) >= len(apiPrefix) && strings.EqualFold(path[:len(apiPrefix)], apiPrefix) {
			path = path[len(apiPrefix):]
		}
		f.mu.Lock()
		f.seen = append(f.seen, seenRequest{r.Method, path, r.URL.RawQuery, string(b), r.Header.Clone()})
		threshold := f.threshold
		f.mu.Unlock()
		if path == "ThresholdInformation" && threshold != "" {
			writeJSON(w, http.StatusOK, threshold)
			return
		}
		f.handle(w, r, path, string(b))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAutotask) base() string { return f.URL + apiPrefix }

func (f *fakeAutotask) setThreshold(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.threshold = body
}

// requests returns what the server saw, without ThresholdInformation calls
// unless all is set.
func (f *fakeAutotask) requests(all bool) []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []seenRequest
	for _, r := range f.seen {
		if all || r.Path != "ThresholdInformation" {
			out = append(out, r)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// hangUp closes the connection without an answer, as a dead Autotask does.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// waits records the backoff waits a client would have slept.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// newTestClient returns a client of f with 1 ms backoff whose waits are
// recorded instead of slept, so retry tests are fast and can check them.
func newTestClient(t *testing.T, f *fakeAutotask, cfg Config) (*Client, *waits) {
	t.Helper()
	cfg.Credentials = testCreds
	if cfg.BaseURL == "" {
		cfg.BaseURL = f.base()
	}
	if cfg.RetryBase == 0 {
		cfg.RetryBase = time.Millisecond
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	w := &waits{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		w.mu.Lock()
		w.d = append(w.d, d)
		w.mu.Unlock()
		return ctx.Err()
	}
	return c, w
}
