package autotask

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
)

// ttlCache keeps records by id for ttl. It remembers ids that do not exist
// too, so a dangling reference does not cost a call on every request.
type ttlCache[T any] struct {
	mu  sync.Mutex
	ttl time.Duration
	now func() time.Time
	m   map[int64]cached[T]
}

type cached[T any] struct {
	v     T
	found bool
	at    time.Time
}

func newCache[T any](ttl time.Duration, now func() time.Time) *ttlCache[T] {
	return &ttlCache[T]{ttl: ttl, now: now, m: map[int64]cached[T]{}}
}

// lookup returns the records of ids, fetching the ones not cached (or
// expired) with one fetch call; ids that do not exist are absent from the
// result.
func (c *ttlCache[T]) lookup(ctx context.Context, ids []int64, fetch func(ctx context.Context, ids []int64, each func(id int64, v T)) error) (map[int64]T, error) {
	out := map[int64]T{}
	var missing []int64
	c.mu.Lock()
	now := c.now()
	for _, id := range ids {
		e, ok := c.m[id]
		switch {
		case ok && now.Sub(e.at) < c.ttl:
			if e.found {
				out[id] = e.v
			}
		case !contains(missing, id):
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	fetched := map[int64]T{}
	if err := fetch(ctx, missing, func(id int64, v T) { fetched[id] = v }); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range missing {
		v, found := fetched[id]
		c.m[id] = cached[T]{v: v, found: found, at: now}
		if found {
			out[id] = v
		}
	}
	return out, nil
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// whole caches one value (the list of companies, an entity's picklists).
type whole[T any] struct {
	mu  sync.Mutex
	ttl time.Duration
	now func() time.Time
	v   T
	at  time.Time
	ok  bool
}

func (w *whole[T]) get(ctx context.Context, load func(ctx context.Context) (T, error)) (T, error) {
	w.mu.Lock()
	defer w.mu.Unlock() // one loader at a time: concurrent requests share its answer
	if w.ok && w.now().Sub(w.at) < w.ttl {
		return w.v, nil
	}
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	w.v, w.at, w.ok = v, w.now(), true
	return v, nil
}

// picklist maps one picklist field between Autotask's value ids and the
// portal's enum names. Ids are the customer's own (they differ between
// Autotask databases), so the mapping is by label: lower case, spaces as
// underscores ("Waiting Customer" → waiting_customer).
type picklist struct {
	byID   map[int64]string
	byName map[string]int64
}

func enumName(label string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(label)), " ", "_")
}

// picklists are the picklist fields of one entity, by field name (lower case).
type picklists map[string]picklist

func newPicklists(fields []at.Field) picklists {
	out := picklists{}
	for _, f := range fields {
		if !f.IsPickList {
			continue
		}
		p := picklist{byID: map[int64]string{}, byName: map[string]int64{}}
		for _, v := range f.PicklistValues {
			id, err := strconv.ParseInt(v.Value, 10, 64)
			if err != nil {
				continue
			}
			name := enumName(v.Label)
			p.byID[id] = name
			if _, dup := p.byName[name]; !dup {
				p.byName[name] = id
			}
		}
		out[strings.ToLower(f.Name)] = p
	}
	return out
}

// name is the enum name of a value id ("" when unknown).
func (p picklists) name(field string, id pickID) string {
	return p[strings.ToLower(field)].byID[int64(id)]
}

// id is the value id of an enum name, and whether the picklist has it.
func (p picklists) id(field, name string) (int64, bool) {
	id, ok := p[strings.ToLower(field)].byName[name]
	return id, ok
}
