package autotask

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func okFake(t *testing.T) *fakeAutotask {
	return newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		writeJSON(w, 200, `{"item":{"id":1}}`)
	})
}

func TestBudgetExhaustionFailsLocally(t *testing.T) {
	f := okFake(t)
	c, _ := newTestClient(t, f, Config{HourlyLimit: 5})
	ctx := context.Background()
	var err error
	calls := 0
	for ; calls < 10 && err == nil; calls++ {
		err = c.Get(ctx, "Tasks", 1, &struct{}{})
	}
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Local || rl.RetryAfter <= 0 || rl.RetryAfter > time.Hour || !errors.Is(err, ErrBudgetExhausted) {
		t.Fatalf("err = %v, want a local RateLimitError", err)
	}
	// The budget counts every request Autotask counts: the start-up
	// ThresholdInformation read plus four Gets, so the fifth Get is refused.
	if got := len(f.requests(true)); got != 5 || calls != 5 {
		t.Errorf("server saw %d requests and call %d failed; want 5 and 5", got, calls)
	}
	if err := c.Get(ctx, "Tasks", 1, &struct{}{}); !errors.As(err, &rl) || len(f.requests(true)) != 5 {
		t.Errorf("after exhaustion: err = %v, server saw %d", err, len(f.requests(true)))
	}
	if !strings.HasPrefix(err.Error(), "autotask: hourly request budget spent; retry after ") {
		t.Errorf("message = %q", err)
	}
}

func TestBudgetSlidesWithTheHour(t *testing.T) {
	b := newSlidingBudget(2)
	t0 := time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)
	if b.Take(t0) != nil || b.Take(t0.Add(10*time.Minute)) != nil {
		t.Fatal("first two calls refused")
	}
	var rl *RateLimitError
	if err := b.Take(t0.Add(30 * time.Minute)); !errors.As(err, &rl) || rl.RetryAfter != 30*time.Minute {
		t.Fatalf("third call: %v, want retry after 30m (when the first call leaves the hour)", err)
	}
	if err := b.Take(t0.Add(61 * time.Minute)); err != nil {
		t.Errorf("a call an hour later was refused: %v", err)
	}
}

func TestThresholdSyncAdoptsAutotasksCount(t *testing.T) {
	f := okFake(t)
	f.setThreshold(`{"externalRequestThreshold":10,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":7}`)
	c, _ := newTestClient(t, f, Config{HourlyLimit: 100})
	ctx := context.Background()
	// Autotask counts 7 requests (the threshold read among them) of 10,
	// so 3 Gets are left, whatever our own limit of 100 says.
	var err error
	gets := 0
	for ; gets < 10 && err == nil; gets++ {
		err = c.Get(ctx, "Tasks", 1, &struct{}{})
	}
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Local || gets != 4 {
		t.Fatalf("Get %d: err = %v; want the 4th Get refused locally", gets, err)
	}
	if used, limit := c.budget.used(time.Now()); used != 10 || limit != 10 {
		t.Errorf("budget = %d/%d, want 10/10", used, limit)
	}
	th, err := c.Threshold(ctx)
	if !errors.As(err, &rl) || th != (Threshold{}) {
		t.Errorf("Threshold with no budget left = %+v, %v", th, err)
	}
}

func TestThresholdReadAgainEveryHundredCalls(t *testing.T) {
	f := okFake(t)
	c, _ := newTestClient(t, f, Config{})
	for range 250 {
		if err := c.Get(context.Background(), "Tasks", 1, &struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
	reads := len(f.requests(true)) - len(f.requests(false))
	if reads != 3 {
		t.Errorf("ThresholdInformation read %d times in 250 calls, want 3", reads)
	}
	th, err := c.Threshold(context.Background())
	if err != nil || th.ExternalRequestThreshold != 10000 || th.RequestThresholdTimeframe != 60 {
		t.Errorf("Threshold = %+v, %v", th, err)
	}
}

// inFlightFake counts requests in flight per entity and overall; each
// request waits until `hold` are in flight (or patience runs out), so a
// broken cap shows.
type inFlightFake struct {
	*fakeAutotask
	mu                  sync.Mutex
	perEntity           map[string]int
	maxEntity, maxTotal int
	total               int
}

func newInFlightFake(t *testing.T, hold int, patience time.Duration) *inFlightFake {
	ff := &inFlightFake{perEntity: map[string]int{}}
	reached := make(chan struct{})
	var once sync.Once
	ff.fakeAutotask = newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		entity := strings.Split(path, "/")[0]
		ff.mu.Lock()
		ff.perEntity[entity]++
		ff.total++
		ff.maxEntity = max(ff.maxEntity, ff.perEntity[entity])
		ff.maxTotal = max(ff.maxTotal, ff.total)
		if ff.total >= hold {
			once.Do(func() { close(reached) })
		}
		ff.mu.Unlock()
		select {
		case <-reached:
		case <-time.After(patience):
		}
		time.Sleep(5 * time.Millisecond) // room for any extra request to arrive
		ff.mu.Lock()
		ff.perEntity[entity]--
		ff.total--
		ff.mu.Unlock()
		writeJSON(w, 200, `{"item":{"id":1}}`)
	})
	return ff
}

func runConcurrently(c *Client, entities []string, each int) {
	var wg sync.WaitGroup
	for _, e := range entities {
		for range each {
			wg.Go(func() { _ = c.Get(context.Background(), e, 1, &struct{}{}) })
		}
	}
	wg.Wait()
}

func TestAtMostThreeConcurrentCallsPerEntity(t *testing.T) {
	ff := newInFlightFake(t, 6, 2*time.Second)
	c, _ := newTestClient(t, ff.fakeAutotask, Config{})
	runConcurrently(c, []string{"Tasks", "Projects"}, 10)
	if ff.maxEntity != 3 {
		t.Errorf("max concurrent calls to one entity = %d, want 3", ff.maxEntity)
	}
	if ff.maxTotal < 4 {
		t.Errorf("max concurrent calls overall = %d: entities did not run side by side", ff.maxTotal)
	}
}

func TestPastHalfTheBudgetCallsRunOneAtATime(t *testing.T) {
	ff := newInFlightFake(t, 2, 50*time.Millisecond) // 2 in flight must never happen
	ff.setThreshold(`{"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":6000}`)
	c, _ := newTestClient(t, ff.fakeAutotask, Config{})
	if _, err := c.Threshold(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := c.Calls()
	runConcurrently(c, []string{"Tasks", "Projects", "Companies"}, 3)
	if ff.maxTotal != 1 {
		t.Errorf("max concurrent calls past 50 %% = %d, want 1", ff.maxTotal)
	}
	if got := c.Calls() - before; got != 9 {
		t.Errorf("calls = %d, want 9", got)
	}
}
