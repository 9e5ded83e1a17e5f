package autotask

import (
	"context"
	"sync"
	"time"
)

// freshness caches when the copy was last complete for a second: every
// response says how old the copy is, and the sync state is one read.
type freshness struct {
	mu      sync.Mutex
	checked time.Time
	asOf    time.Time
	ok      bool
}

// DataAsOf is when the last complete pass started: the copy holds every
// change Autotask had made by then. ok is false until the initial sync has
// completed once.
func (s *Store) DataAsOf(ctx context.Context) (asOf time.Time, ok bool, err error) {
	s.fresh.mu.Lock()
	defer s.fresh.mu.Unlock()
	now := s.opt.Now()
	if !s.fresh.checked.IsZero() && now.Sub(s.fresh.checked) < time.Second && now.After(s.fresh.checked) {
		return s.fresh.asOf, s.fresh.ok, nil
	}
	state, err := s.Local.SyncState(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	s.fresh.asOf, s.fresh.ok = parseStamp(state[keyLastSuccess])
	s.fresh.checked = now
	return s.fresh.asOf, s.fresh.ok, nil
}

func parseStamp(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
