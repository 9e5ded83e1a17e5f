package autotask

import (
	"slices"
	"sync"
	"time"
)

// slidingBudget counts the calls of the last hour (Autotask's threshold is a
// rolling hour, not a clock hour) and refuses a call once limit are in it.
// It is shared by every goroutine using one Client.
type slidingBudget struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	calls  []time.Time // ascending; only those inside the window after prune
}

var _ Budget = (*slidingBudget)(nil)

func newSlidingBudget(limit int) *slidingBudget {
	return &slidingBudget{limit: limit, window: time.Hour}
}

// Take reserves one call at now, or refuses with a local *RateLimitError
// saying when the oldest call leaves the window.
func (b *slidingBudget) Take(now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prune(now)
	if len(b.calls) >= b.limit {
		wait := b.calls[len(b.calls)-b.limit].Add(b.window).Sub(now)
		return &RateLimitError{RetryAfter: max(wait, time.Second), Local: true}
	}
	b.calls = append(b.calls, now)
	return nil
}

// overHalf reports whether more than half the budget is used: Autotask adds
// latency to each response past 50 % of its threshold, so the client then
// runs one call at a time instead of piling up slow concurrent calls.
func (b *slidingBudget) overHalf(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prune(now)
	return 2*len(b.calls) > b.limit
}

// used returns the calls in the window and the limit.
func (b *slidingBudget) used(now time.Time) (int, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prune(now)
	return len(b.calls), b.limit
}

// adopt takes Autotask's view of the database: its threshold when lower
// than ours, its timeframe, and its count when higher than ours (other
// integrations on the same database spend the same budget). The calls we do
// not know the time of are assumed spread evenly over the window, so they
// leave it gradually rather than all at once an hour from now.
func (b *slidingBudget) adopt(now time.Time, t Threshold) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.ExternalRequestThreshold > 0 && t.ExternalRequestThreshold < b.limit {
		b.limit = t.ExternalRequestThreshold
	}
	if t.RequestThresholdTimeframe > 0 {
		b.window = time.Duration(t.RequestThresholdTimeframe) * time.Minute
	}
	b.prune(now)
	extra := t.CurrentTimeframeRequestCount - len(b.calls)
	if extra <= 0 {
		return
	}
	step := b.window / time.Duration(extra+1)
	start := now.Add(-b.window)
	for i := 1; i <= extra; i++ {
		b.calls = append(b.calls, start.Add(time.Duration(i)*step))
	}
	slices.SortFunc(b.calls, func(x, y time.Time) int { return x.Compare(y) })
}

func (b *slidingBudget) prune(now time.Time) {
	cut := now.Add(-b.window)
	i := 0
	for i < len(b.calls) && !b.calls[i].After(cut) {
		i++
	}
	if i > 0 {
		b.calls = slices.Delete(b.calls, 0, i)
	}
}
