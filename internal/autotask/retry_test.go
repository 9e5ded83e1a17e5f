package autotask

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers the n-th call (from 0) with script[n], then with the
// last entry. An entry of 0 hangs up without an answer; 200 answers a
// success body for both reads and writes.
func scripted(t *testing.T, retryAfter string, script ...int) *fakeAutotask {
	var n atomic.Int32
	return newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		i := min(int(n.Add(1))-1, len(script)-1)
		switch status := script[i]; status {
		case 0:
			hangUp(w)
		case 200:
			writeJSON(w, 200, `{"itemId":9,"item":{"id":9},"items":[{"id":9}],"pageDetails":{"nextPageUrl":null}}`)
		default:
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeJSON(w, status, `{"errors":["status `+strconv.Itoa(status)+`"]}`)
		}
	})
}

func TestRetries(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name       string
		write      bool
		retryAfter string
		script     []int
		wantCalls  int
		wantWaits  []time.Duration
		wantErr    any // nil, or a pointer to the wanted error type
	}{
		{"read 429 then success honours Retry-After", false, "7", []int{429, 200}, 2, []time.Duration{7 * time.Second}, nil},
		{"read 429 without Retry-After backs off exponentially", false, "", []int{429, 429, 200}, 3, []time.Duration{ms, 2 * ms}, nil},
		{"read 429 past MaxRetries", false, "", []int{429}, 4, []time.Duration{ms, 2 * ms, 4 * ms}, new(*RateLimitError)},
		{"read 429 with Retry-After too long is returned at once", false, "3600", []int{429}, 1, nil, new(*RateLimitError)},
		{"read 503 then success", false, "", []int{503, 200}, 2, []time.Duration{ms}, nil},
		{"read 502 and 504 are retried", false, "", []int{502, 504, 200}, 3, []time.Duration{ms, 2 * ms}, nil},
		{"read 503 honours Retry-After", false, "2", []int{503, 200}, 2, []time.Duration{2 * time.Second}, nil},
		{"read no answer is retried", false, "", []int{0, 200}, 2, []time.Duration{ms}, nil},
		{"read no answer past MaxRetries", false, "", []int{0}, 4, []time.Duration{ms, 2 * ms, 4 * ms}, new(*UnavailableError)},
		{"read 500 is not retried", false, "", []int{500, 200}, 1, nil, new(*UnavailableError)},
		{"read 400 is not retried", false, "", []int{400, 200}, 1, nil, new(*APIError)},
		{"write 500 is not retried", true, "", []int{500, 200}, 1, nil, new(*UnavailableError)},
		{"write 503 is not retried", true, "", []int{503, 200}, 1, nil, new(*UnavailableError)},
		{"write without answer is not retried", true, "", []int{0, 200}, 1, nil, new(*UnavailableError)},
		{"write 429 is retried", true, "1", []int{429, 200}, 2, []time.Duration{time.Second}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := scripted(t, tt.retryAfter, tt.script...)
			// Without keep-alive, because net/http itself replays a GET once
			// when a reused connection dies, which would hide our retries.
			fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			c, w := newTestClient(t, f, Config{HTTPClient: fresh})
			var err error
			if tt.write {
				_, err = c.Create(context.Background(), "Tasks", map[string]string{"title": "once"})
			} else {
				var rec struct{ ID int }
				err = c.Get(context.Background(), "Tasks", 9, &rec)
			}
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			case **RateLimitError:
				if !errors.As(err, want) || (*want).Local {
					t.Fatalf("err = %v, want an upstream RateLimitError", err)
				}
			case **UnavailableError:
				if !errors.As(err, want) {
					t.Fatalf("err = %v, want UnavailableError", err)
				}
			case **APIError:
				if !errors.As(err, want) {
					t.Fatalf("err = %v, want APIError", err)
				}
			}
			if got := len(f.requests(false)); got != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", got, tt.wantCalls)
			}
			if got := w.list(); !slices.Equal(got, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", got, tt.wantWaits)
			}
		})
	}
}

func TestRateLimitErrorCarriesRetryAfter(t *testing.T) {
	f := scripted(t, "3600", 429)
	c, _ := newTestClient(t, f, Config{})
	_, err := c.Create(context.Background(), "Tasks", map[string]string{})
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want RateLimitError with RetryAfter 1h", err)
	}
}

// Cancelling the context ends a backoff wait at once (the real sleep is
// used here; Retry-After asks for 20 s).
func TestCancelAbortsRetryWait(t *testing.T) {
	f := scripted(t, "20", 429)
	c, err := New(context.Background(), Config{Credentials: testCreds, BaseURL: f.base()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Get(ctx, "Tasks", 9, &struct{}{}) }()
	for len(f.requests(false)) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Get still waiting 10 s after its context was cancelled")
	}
}

func TestUnavailableCarriesRetryAfter(t *testing.T) {
	f := scripted(t, "600", 503)
	c, _ := newTestClient(t, f, Config{})
	err := c.Get(context.Background(), "Tasks", 9, &struct{}{})
	var u *UnavailableError
	if !errors.As(err, &u) || u.RetryAfter != 10*time.Minute || len(f.requests(false)) != 1 {
		t.Fatalf("err = %v after %d calls, want UnavailableError with RetryAfter 10m after 1", err, len(f.requests(false)))
	}
}

// A call waiting for one of the 3 per-entity slots gives up as soon as its
// context is cancelled.
func TestCancelAbortsSlotWait(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		<-release
		writeJSON(w, 200, `{"item":{"id":1}}`)
	})
	defer close(release)
	c, _ := newTestClient(t, f, Config{})
	c.sinceSync.Store(0) // no ThresholdInformation read: it would block too
	for range 3 {
		go func() { _ = c.Get(context.Background(), "Tasks", 1, &struct{}{}) }()
	}
	for len(f.requests(true)) < 3 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Get(ctx, "Tasks", 2, &struct{}{}) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || len(f.requests(true)) != 3 {
			t.Errorf("err = %v, server saw %d; want context.Canceled and 3", err, len(f.requests(true)))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Get still waiting for a slot 10 s after its context was cancelled")
	}
}
