package httpapi

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters keeps one token bucket per key, dropping buckets idle for ten
// minutes so memory stays bounded. It limits requests per token, and that
// may stay in each process's memory: it protects an instance from one
// client's burst (every request would otherwise cost a database write), and
// behind a load balancer each instance taking its share is what is wanted.
// Login attempts, which guard passwords, are counted in the database
// instead (login_limit.go).
type limiters struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	buckets map[int64]*bucket // by token id
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiters(limit rate.Limit, burst int) *limiters {
	return &limiters{limit: limit, burst: burst, buckets: map[int64]*bucket{}}
}

// allow takes one event for key; when refused it says how long to wait.
// Without a limit (--rate-limit 0) every request passes without taking the
// lock that all requests would otherwise queue on.
func (l *limiters) allow(key int64) (time.Duration, bool) {
	if l.limit == rate.Inf {
		return 0, true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if delay := res.DelayFrom(now); delay > 0 {
		res.CancelAt(now)
		return delay, false
	}
	return 0, true
}
