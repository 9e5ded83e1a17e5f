package dataset

import (
	"context"
	"errors"
	"io"
	"slices"
)

// errSlow ends the one-pass import: the file is not plainly valid (or a
// write failed), and the checked two-pass import must say why.
var errSlow = errors.New("dataset: the file needs the checked import")

// batchSize records travel together from the reading goroutine to the
// writing one; batchesAhead bounds how far reading runs ahead (memory).
const (
	batchSize    = 256
	batchesAhead = 8
)

// importOnce is the fast path of Import for the usual file (an export, or
// any valid file with its kinds in Kinds order): it reads the file once,
// checking each record as it goes, while a second goroutine writes the
// records already checked into the store's transaction. At the first
// problem it stops with errSlow and the transaction rolls back, so nothing
// is written; Import then runs the checked import to list every problem.
func importOnce(ctx context.Context, r io.Reader, imp Target, cost int) (Summary, error) {
	var summary Summary
	err := imp.Import(ctx, func(w Writer) error {
		out := make(chan []any, batchesAhead)
		stop := make(chan struct{})
		rd := &oneRead{ix: newIndex(), ps: &Problems{}, cost: cost, summary: Summary{}, out: out, stop: stop}
		rd.ix.late = map[string][]int64{}
		var readErr error
		go func() {
			defer close(out)
			readErr = rd.run(r)
		}()
		var writeErr error
		for batch := range out {
			if writeErr != nil {
				continue // let the reader see stop and finish
			}
			for _, rec := range batch {
				if writeErr = w.Write(rec); writeErr != nil {
					break
				}
			}
			if writeErr == nil {
				writeErr = ctx.Err()
			}
			if writeErr != nil {
				close(stop)
			}
		}
		if writeErr != nil {
			return writeErr
		}
		summary = rd.summary
		return readErr
	})
	return summary, err
}

// oneRead is the reading side of importOnce.
type oneRead struct {
	ix      *index
	ps      *Problems
	cost    int
	summary Summary
	held    []heldRecord // this kind's records waiting for its end
	batch   []any
	out     chan<- []any
	stop    <-chan struct{}
}

type heldRecord struct {
	index int
	rec   any
}

// selfReferring kinds refer to records of their own kind, maybe later
// ones: their references are checked once the kind's array has ended.
var selfReferring = map[string]bool{"organizations": true, "phases": true}

func (rd *oneRead) run(r io.Reader) error {
	if err := walkFile(r, rd.visit, rd.kindDone); err != nil {
		return err
	}
	rd.ix.cycles(rd.ps)
	if !rd.ps.empty() || rd.ix.lateDuplicates() {
		return errSlow
	}
	return rd.flush()
}

func (rd *oneRead) visit(kind string, i int, raw []byte) error {
	rec, ok := fastRecord(kind, raw)
	if !ok {
		if rec = decodeRecord(kind, i, raw, rd.ps); rec == nil || !rd.ps.empty() {
			return errSlow
		}
	}
	if rd.ix.check1(rd.ps, kind, i, rec); !rd.ps.empty() {
		return errSlow
	}
	if selfReferring[kind] {
		rd.held = append(rd.held, heldRecord{i, rec})
		return nil
	}
	return rd.accept(kind, i, rec)
}

func (rd *oneRead) kindDone(kind string) error {
	held := rd.held
	rd.held = nil
	for _, h := range held {
		if err := rd.accept(kind, h.index, h.rec); err != nil {
			return err
		}
	}
	return nil
}

// accept checks a record's references and queues it for writing.
func (rd *oneRead) accept(kind string, i int, rec any) error {
	if rd.ix.check2(rd.ps, kind, i, rec); !rd.ps.empty() {
		return errSlow
	}
	if err := hashPassword(rec, rd.cost); err != nil {
		return errSlow
	}
	rd.summary[kind]++
	if rd.batch = append(rd.batch, rec); len(rd.batch) == batchSize {
		return rd.flush()
	}
	return nil
}

func (rd *oneRead) flush() error {
	if len(rd.batch) == 0 {
		return nil
	}
	select {
	case rd.out <- rd.batch:
	case <-rd.stop:
		return errSlow
	}
	rd.batch = make([]any, 0, batchSize)
	return nil
}

// lateDuplicates reports whether a kind whose ids were only collected
// (see index.late) holds an id twice.
func (ix *index) lateDuplicates() bool {
	for _, ids := range ix.late {
		slices.Sort(ids)
		for i := 1; i < len(ids); i++ {
			if ids[i] == ids[i-1] {
				return true
			}
		}
	}
	return false
}
