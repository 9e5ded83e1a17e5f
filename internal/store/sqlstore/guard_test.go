package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// guardTestDB is a SQLite pool of conns connections over a table of three
// rows.
func guardTestDB(t *testing.T, conns int) DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "guard.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(conns)
	t.Cleanup(func() { db.Close() })
	c := FromSQL(db)
	if _, err := c.Exec(context.Background(), `CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)`); err != nil {
		t.Fatal(err)
	}
	return c
}

func one(t *testing.T, db DB, ctx context.Context) error {
	t.Helper()
	var n int
	return db.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&n)
}

// TestGuardBoundsTheWaitForAConnection: with every slot taken by an open
// result set, the next query waits at most Limits.Wait and then fails with
// *store.BusyError (503 with Retry-After), instead of queueing for as long
// as the holder likes; once the holder closes, queries run again.
func TestGuardBoundsTheWaitForAConnection(t *testing.T) {
	ctx := context.Background()
	g := Guard(guardTestDB(t, 2), Limits{Slots: 2, Wait: 200 * time.Millisecond}, nil, nil)
	var held []Rows
	for range 2 {
		rows, err := g.Query(ctx, `SELECT n FROM t`)
		if err != nil {
			t.Fatal(err)
		}
		rows.Next() // a stream that stopped half way
		held = append(held, rows)
	}
	start := time.Now()
	err := one(t, g, ctx)
	var be *store.BusyError
	if !errors.As(err, &be) || be.RetryAfter <= 0 {
		t.Fatalf("a query with every slot taken: %v, want a *store.BusyError with a RetryAfter", err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond || waited > 2*time.Second {
		t.Errorf("waited %s, want about the 200 ms Limits.Wait", waited)
	}
	if _, err := g.Exec(ctx, `UPDATE t SET n = n`); !errors.As(err, &be) {
		t.Errorf("an Exec with every slot taken: %v, want busy", err)
	}
	if _, err := g.Begin(ctx); !errors.As(err, &be) {
		t.Errorf("a Begin with every slot taken: %v, want busy", err)
	}
	held[0].Close()
	held[0].Close() // closing twice frees one slot, not two
	if err := one(t, g, ctx); err != nil {
		t.Fatalf("after one stream closed: %v", err)
	}
	rows, err := g.Query(ctx, `SELECT n FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	if err := one(t, g, ctx); !errors.As(err, &be) {
		t.Errorf("a double Close freed a second slot: %v", err)
	}
	rows.Close()
	held[1].Close()

	// A caller that gives up while waiting gets its context's error.
	for range 2 {
		rows, _ := g.Query(ctx, `SELECT n FROM t`)
		defer rows.Close()
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := one(t, g, cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait: %v, want context.Canceled", err)
	}
}

// TestGuardTransactionsHoldTheirSlot: a transaction keeps its slot until
// Commit or Rollback.
func TestGuardTransactionsHoldTheirSlot(t *testing.T) {
	ctx := context.Background()
	g := Guard(guardTestDB(t, 1), Limits{Slots: 1, Wait: 50 * time.Millisecond}, nil, nil)
	for _, end := range []func(Tx) error{func(tx Tx) error { return tx.Commit(ctx) }, func(tx Tx) error { return tx.Rollback(ctx) }} {
		tx, err := g.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE t SET n = n + 1`); err != nil {
			t.Fatal(err)
		}
		var be *store.BusyError
		if err := one(t, g, ctx); !errors.As(err, &be) {
			t.Fatalf("a query while the only slot's transaction is open: %v, want busy", err)
		}
		if err := end(tx); err != nil {
			t.Fatal(err)
		}
		if err := one(t, g, ctx); err != nil {
			t.Fatalf("after the transaction ended: %v", err)
		}
	}
}

var errDriverFull = errors.New("database or disk is full")

// TestGuardReportsAFullDisk: a driver error the dialect classifies as a full
// disk comes back as *store.BusyError and makes the store's Ping fail until
// the file system has room again (hasSpace), or, without a way to look, until
// a write succeeds.
func TestGuardReportsAFullDisk(t *testing.T) {
	ctx := context.Background()
	classify := func(err error) *store.BusyError {
		if errors.Is(err, errDriverFull) {
			return &store.BusyError{Reason: "full", RetryAfter: time.Minute, DiskFull: true, Err: err}
		}
		return nil
	}
	var fail, room atomic.Bool
	full := failing{DB: guardTestDB(t, 1), fail: &fail}
	for _, tt := range []struct {
		name     string
		hasSpace func() bool
	}{{"SQLite looks at the file system", room.Load}, {"PostgreSQL waits for a write", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHealth(tt.hasSpace)
			g := Guard(full, Limits{Slots: 1, Wait: time.Second}, classify, h)
			s := New(g, g, Dialect{}, h)
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("ping before: %v", err)
			}
			fail.Store(true)
			_, err := g.Exec(ctx, `UPDATE t SET n = n`)
			var be *store.BusyError
			if !errors.As(err, &be) || !be.DiskFull || !errors.Is(err, errDriverFull) {
				t.Fatalf("a write to a full disk: %v, want a DiskFull *store.BusyError wrapping the driver's error", err)
			}
			if err := s.Ping(ctx); !errors.As(err, &be) || !be.DiskFull {
				t.Fatalf("ping with the disk full: %v, want DiskFull", err)
			}
			fail.Store(false)
			if tt.hasSpace != nil {
				if err := s.Ping(ctx); err == nil {
					t.Fatal("ready again before the file system has room")
				}
				room.Store(true)
			} else if _, err := g.Exec(ctx, `UPDATE t SET n = n`); err != nil {
				t.Fatal(err)
			}
			if err := s.Ping(ctx); err != nil {
				t.Errorf("ping once space is back: %v", err)
			}
		})
	}
}

// failing is a DB whose writes fail with errDriverFull while fail is set.
type failing struct {
	DB
	fail *atomic.Bool
}

func (f failing) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if f.fail.Load() {
		return 0, errDriverFull
	}
	return f.DB.Exec(ctx, query, args...)
}

// TestSplitKeepsStreamsOffTheShortPool: a request marked store.Streaming
// uses the stream pool; with it exhausted, authentication-like short
// queries still run at once.
func TestSplitKeepsStreamsOffTheShortPool(t *testing.T) {
	ctx := context.Background()
	db := guardTestDB(t, 3)
	short := Guard(db, Limits{Slots: 2, Wait: 50 * time.Millisecond}, nil, nil)
	streams := Guard(db, Limits{Slots: 1, Wait: 50 * time.Millisecond}, nil, nil)
	s := Split(short, streams)
	sctx := store.Streaming(ctx)
	rows, err := s.Query(sctx, `SELECT n FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var be *store.BusyError
	if err := one(t, s, sctx); !errors.As(err, &be) {
		t.Errorf("a second stream with the stream pool taken: %v, want busy", err)
	}
	for range 5 {
		if err := one(t, s, ctx); err != nil {
			t.Fatalf("a short query with the stream pool taken: %v", err)
		}
	}
}
