package autotask

import (
	"context"
	"errors"
	"slices"

	at "github.com/portalctl/portalctl/internal/autotask"
)

// maxIn is the most values one "in" filter may hold, and the page size.
const maxIn = 500

// errStop ends a query once a page's limit is reached, so no further
// Autotask page is fetched.
var errStop = errors.New("page full")

// query streams the records of entity matching filters (ANDed), in id
// order, decoded as T. limit > 0 stops after limit records. Autotask errors
// come back as store errors (see upstream); each's errors unchanged.
func query[T any](ctx context.Context, c *at.Client, entity string, filters []at.Filter, fields []string, limit int, each func(T) error) error {
	q := at.Query{Filter: filters, IncludeFields: fields}
	if limit > 0 && limit < maxIn {
		q.MaxRecords = limit
	}
	n := 0
	err := c.Query(ctx, entity, q, func(item at.Item) error {
		v, err := decode[T](entity, item)
		if err != nil {
			return err
		}
		if err := each(v); err != nil {
			return err
		}
		if n++; limit > 0 && n >= limit {
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return upstream(err)
}

// byIDs streams the records of entity with the given ids (and the extra
// filters), one query per 500 ids.
func byIDs[T any](ctx context.Context, c *at.Client, entity string, ids []int64, fields []string, each func(T) error, extra ...at.Filter) error {
	for chunk := range slices.Chunk(ids, maxIn) {
		if err := query(ctx, c, entity, append(slices.Clip(extra), at.In("id", chunk)), fields, 0, each); err != nil {
			return err
		}
	}
	return nil
}

// anyIn is "field in ids" for any number of ids: an "or" of in-filters of
// at most 500 values each.
func anyIn(field string, ids []int64) at.Filter {
	if len(ids) <= maxIn {
		return at.In(field, ids)
	}
	var parts []at.Filter
	for chunk := range slices.Chunk(ids, maxIn) {
		parts = append(parts, at.In(field, chunk))
	}
	return at.Or(parts...)
}

// batcher collects records into batches of at most 500 (one Autotask page)
// so the names they refer to are looked up with one call per batch, never
// one per record; memory stays bounded by the batch.
type batcher[T any] struct {
	buf   []T
	flush func([]T) error
}

func (b *batcher[T]) add(v T) error {
	b.buf = append(b.buf, v)
	if len(b.buf) >= maxIn {
		return b.done()
	}
	return nil
}

func (b *batcher[T]) done() error {
	if len(b.buf) == 0 {
		return nil
	}
	buf := b.buf
	b.buf = nil
	return b.flush(buf)
}

// idSet collects distinct ids in first-seen order.
type idSet struct {
	ids  []int64
	seen map[int64]bool
}

func (s *idSet) add(id *int64) {
	if id == nil || *id <= 0 {
		return
	}
	if s.seen == nil {
		s.seen = map[int64]bool{}
	}
	if !s.seen[*id] {
		s.seen[*id] = true
		s.ids = append(s.ids, *id)
	}
}
