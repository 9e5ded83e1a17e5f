package autotask

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
)

// pass is one Cycle: the state it started from and what it touched.
type pass struct {
	y       *Syncer
	picks   map[string]picklists // as read for this pass
	state   map[string]string
	start   time.Time
	refresh bool
	// touched are the projects whose team or schedule positions may have
	// changed; pulled are the team contacts (the Projects UDF) of the
	// projects this pass read.
	touched  map[int64]bool
	touchAll bool // every project (the secondary resources were read whole)
	pulled   map[int64][]int64
}

// batchSize is how many records are written per transaction: one
// Autotask page.
const batchSize = 500

// pullSpec says how to pull one entity.
type pullSpec[T any] struct {
	entity string
	fields []string    // IncludeFields
	filter []at.Filter // every query's own conditions
	// changed is the record's last-change field ("" when the entity has
	// none: it is read whole, from the start, each time it is pulled).
	changed string
	// lookback is re-read behind the cursor; 0 = SyncOptions.Lookback.
	lookback time.Duration
	stamp    func(T) at.Time
	id       func(T) int64
	// write stores a batch; it returns the records it could not store yet
	// (a parent not in the copy yet), which later passes retry by id.
	write func(ctx context.Context, batch []T) (later []int64, err error)
}

// pull brings an entity's changes into the copy. Until the entity's initial
// pull is done it reads every record by ascending id, paced to the
// initial share of the budget, saving the last id written so a restart
// resumes there; then it reads the records whose last-change field is at
// or after the cursor less the lookback (a lookback window, as Airbyte's
// incremental syncs keep one: a change committed late with an earlier
// stamp is still read, and read again is harmless, records being upserted
// by id), and moves the cursor to the newest change it saw or the pass's
// start, whichever is later. Records a write could not store are retried
// by id.
func pull[T any](ctx context.Context, p *pass, s pullSpec[T]) error {
	y := p.y
	initialKey, cursorKey, laterKey := "initial:"+s.entity, "cursor:"+s.entity, "later:"+s.entity
	initial := p.state[initialKey] != "done" && s.changed != ""
	filters := append([]at.Filter{}, s.filter...)
	var cursor time.Time
	if initial {
		after, _ := strconv.ParseInt(p.state[initialKey], 10, 64)
		if p.state[initialKey] == "" {
			after = -1
		}
		filters = append(filters, at.Gt("id", after))
		ctx = at.WithPacing(ctx, y.pace)
	} else if s.changed != "" {
		cursor, _ = time.Parse(time.RFC3339Nano, p.state[cursorKey])
		lookback := s.lookback
		if lookback == 0 {
			lookback = y.o.Lookback
		}
		filters = append(filters, at.Gte(s.changed, cursor.Add(-lookback)))
	}
	newest := cursor
	var later []int64
	var batch []T
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		failed, err := s.write(ctx, batch)
		if err != nil {
			return err
		}
		later = append(later, failed...)
		last := batch[len(batch)-1]
		batch = batch[:0]
		if initial {
			return y.db.SetSyncState(ctx, initialKey, strconv.FormatInt(s.id(last), 10))
		}
		return nil
	}
	err := y.c.Query(ctx, s.entity, at.Query{Filter: filters, IncludeFields: s.fields}, func(item at.Item) error {
		rec, err := decode[T](s.entity, item)
		if err != nil {
			return err
		}
		if s.stamp != nil && s.stamp(rec).After(newest) {
			newest = s.stamp(rec).Time
		}
		if batch = append(batch, rec); len(batch) >= batchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return upstream(err)
	}
	still, err := retry(ctx, p, s, splitIDs(p.state[laterKey]))
	if err != nil {
		return err
	}
	if pending := joinIDs(append(later, still...)); pending != p.state[laterKey] {
		if err := y.db.SetSyncState(ctx, laterKey, pending); err != nil {
			return err
		}
	}
	switch {
	case initial:
		// Changes made while the initial pull ran are read by the next
		// pull: the cursor starts at this pass's start.
		if err := y.db.SetSyncState(ctx, cursorKey, p.start.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return y.db.SetSyncState(ctx, initialKey, "done")
	case s.changed != "":
		// The cursor moves with time too, to this pass's start: a change
		// committed after it has a stamp past it less the lookback, unless
		// Autotask's clock is behind ours by more than the lookback. Else a
		// quiet entity would re-read its last burst of changes every pass.
		next := latest(newest, p.start)
		if next.After(cursor) {
			return y.db.SetSyncState(ctx, cursorKey, next.UTC().Format(time.RFC3339Nano))
		}
	}
	return nil
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// retry reads again, by id, the records earlier passes could not store
// (their parent was not in the copy yet) and returns those still not
// storable. A record gone from Autotask meanwhile is simply not found.
func retry[T any](ctx context.Context, p *pass, s pullSpec[T], ids []int64) ([]int64, error) {
	var still []int64
	for chunk := range slices.Chunk(ids, batchSize) {
		var batch []T
		q := at.Query{Filter: append(slices.Clip(s.filter), at.In("id", chunk)), IncludeFields: s.fields}
		err := p.y.c.Query(ctx, s.entity, q, func(item at.Item) error {
			rec, err := decode[T](s.entity, item)
			batch = append(batch, rec)
			return err
		})
		if err != nil {
			return nil, upstream(err)
		}
		if len(batch) == 0 {
			continue
		}
		failed, err := s.write(ctx, batch)
		if err != nil {
			return nil, err
		}
		still = append(still, failed...)
	}
	return still, nil
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
