package atemu

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
)

// Bug 7 (findings 2026-12-autotask §0.9): Autotask allows 3 calls in
// progress per object endpoint, counting a child path (Projects/1/Tasks)
// under its parent's, and refuses more with a 500 naming Itgenatr005. The
// client keeps to that key and retries the refusal (it was not processed)
// instead of failing the call.
func TestThreadLimitKeyedByFirstSegmentAndRetried(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	s.SetLatency(30 * time.Millisecond) // keeps the calls in progress together
	ctx := context.Background()
	c, err := autotask.New(ctx, autotask.Config{Credentials: testCreds, BaseURL: s.URL(), RetryBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c.Threshold(ctx) // read once up front: it is an endpoint of its own
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		wg.Go(func() {
			var task map[string]any
			if i%2 == 0 {
				errs <- c.GetChild(ctx, "Projects", 1, "Tasks", 100, &task)
			} else {
				errs <- c.Query(ctx, "Projects", autotask.Query{Filter: []autotask.Filter{autotask.Eq("id", 1)}}, func(autotask.Item) error { return nil })
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a call failed: %v", err)
		}
	}
	if p, n := s.PeakConcurrency("Projects"), s.ThreadRefusals(); p > 3 || n > 0 {
		t.Errorf("%d calls at once on the projects endpoint, %d refused; want at most 3, none refused", p, n)
	}
	// Another integration on the same code can still fill the endpoint:
	// the refusal is retried.
	s.FailNext(1, 500, "Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)")
	var task map[string]any
	if err := c.Get(ctx, "Tasks", 100, &task); err != nil {
		t.Errorf("a call refused for the thread limit once: %v, want it retried", err)
	}
}
