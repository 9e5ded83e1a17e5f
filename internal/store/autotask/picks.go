package autotask

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// picks caches the picklists the mapping and the writes need, by entity:
// read at the first pass or write, and again every RefreshEvery. A
// snapshot is never changed: a refresh replaces it.
type picks struct {
	mu   sync.Mutex
	all  map[string]picklists
	read time.Time
}

// picklists returns the current snapshot, reading it when it is missing
// or refresh is set.
func (s *Store) picklistsAll(ctx context.Context, refresh bool) (map[string]picklists, error) {
	s.picks.mu.Lock()
	defer s.picks.mu.Unlock()
	if s.picks.all != nil && !refresh {
		return s.picks.all, nil
	}
	all := map[string]picklists{}
	for _, e := range pickEntities {
		fields, err := s.c.Fields(ctx, e)
		if err != nil {
			return nil, fmt.Errorf("reading the %s picklists: %w", e, upstream(err))
		}
		all[e] = newPicklists(fields)
	}
	s.picks.all, s.picks.read = all, s.opt.Now()
	return maps.Clone(all), nil
}

func (s *Store) picklists(ctx context.Context, entity string) (picklists, error) {
	all, err := s.picklistsAll(ctx, false)
	return all[entity], err
}

// pickID is the id of a picklist value a write cannot do without.
func (s *Store) pickID(ctx context.Context, entity, field, name string) (int64, error) {
	p, err := s.picklists(ctx, entity)
	if err != nil {
		return 0, err
	}
	id, ok := p.id(field, name)
	if !ok {
		return 0, &store.UnavailableError{Reason: "Autotask's " + entity + " " + field +
			" picklist has no value labelled " + name + "; portald maps picklists by label (portald autotask check)"}
	}
	return id, nil
}
