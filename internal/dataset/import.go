package dataset

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/bcrypt"
)

// Importer is a store that holds the portal's data itself (sqlite,
// postgres, and the database holding the copy of Autotask, which its sync
// imports into): it takes imports, exports, and removes billing items.
type Importer interface {
	Target
	Exporter
	// RemoveBillingItems removes the billing items with these ids in one
	// transaction, recording each removal in the billing feed (ids not
	// stored are skipped). Import upserts only; a sync uses this (or
	// BillingItemRemoval inside its Import) for items removed upstream.
	RemoveBillingItems(ctx context.Context, ids []int64) error
}

// Target is what Import writes to: an Importer, or the Autotask emulator
// being seeded.
type Target interface {
	// Import calls fill with a writer inside one transaction. Records are
	// upserted by id (team rows by project and member). If fill (or any
	// write) fails, nothing is written.
	Import(ctx context.Context, fill func(w Writer) error) error
}

// Options tune an import.
type Options struct {
	// BcryptCost hashes imported passwords; 0 means bcrypt.DefaultCost.
	BcryptCost int
}

// Summary counts the records imported per kind.
type Summary map[string]int

// Import reads a data file and writes it through imp in one transaction, but
// only if the whole file is valid. An invalid file returns *Problems listing
// every problem with its JSON path, and nothing is written. Memory stays
// bounded whatever the file's size: records are read one at a time, and a
// non-seekable r (stdin) is spooled to a temporary file first.
//
// A usual file is read once (importOnce). A file that is not plainly valid
// is read again by the checked import, which reports every problem, and
// whose results the one-pass import only ever reproduces faster.
func Import(ctx context.Context, r io.Reader, imp Target, opt Options) (Summary, error) {
	rs, cleanup, err := seekable(r)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	cost := opt.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	summary, err := importOnce(ctx, rs, imp, cost)
	if err == nil {
		return summary, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("import failed, nothing was written: %w", ctx.Err())
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return nil, err
	}
	return importChecked(ctx, rs, imp, cost)
}

// importChecked reads the file twice (ids first, then references and
// writes), collecting every problem before anything is written.
func importChecked(ctx context.Context, rs io.ReadSeeker, imp Target, cost int) (Summary, error) {
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	ps := &Problems{}
	ix := newIndex()
	err = walk(rs, ps, func(kind string, i int, raw json.RawMessage) error {
		if rec := decodeRecord(kind, i, raw, ps); rec != nil {
			ix.check1(ps, kind, i, rec)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ix.cycles(ps)
	summary := Summary{}
	pass2 := func(w Writer) error {
		if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return err
		}
		quiet := &Problems{} // pass 1 already reported decoding problems
		clean := w != nil    // pass 1 found every record well-formed
		err := walk(rs, quiet, func(kind string, i int, raw json.RawMessage) error {
			var rec any
			if clean {
				var err error
				if rec, err = decodeValid(kind, raw); err != nil { // one decode instead of two
					return err
				}
			} else {
				rec = decodeRecord(kind, i, raw, quiet)
			}
			if rec == nil {
				return ctx.Err()
			}
			if !quiet.empty() { // the record itself is broken: check, never write
				w = nil
			}
			ix.check2(ps, kind, i, rec)
			if w == nil || !ps.empty() {
				return ctx.Err()
			}
			if err := hashPassword(rec, cost); err != nil {
				return err
			}
			summary[kind]++
			return w.Write(rec)
		})
		if err != nil {
			return err
		}
		if !ps.empty() {
			return ps.sorted()
		}
		return nil
	}
	if !ps.empty() { // invalid already: only collect the reference problems too
		if err := pass2(nil); err != nil {
			return nil, err
		}
		return nil, ps.sorted()
	}
	if err := imp.Import(ctx, pass2); err != nil {
		var problems *Problems
		if errors.As(err, &problems) {
			return nil, problems
		}
		return nil, fmt.Errorf("import failed, nothing was written: %w", err)
	}
	return summary, nil
}

func hashPassword(rec any, cost int) error {
	c, ok := rec.(*Contact)
	if !ok || c.Password == "" {
		return nil
	}
	h, err := bcrypt.GenerateFromPassword([]byte(c.Password), cost)
	if err != nil {
		return err
	}
	c.PasswordHash, c.Password = string(h), ""
	return nil
}
