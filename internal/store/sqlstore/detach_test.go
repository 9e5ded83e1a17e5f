package sqlstore

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// openRowsGoroutines opens a result set on db with a cancellable context
// and returns how many goroutines that started.
func openRowsGoroutines(t *testing.T, db DB) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runtime.GC()
	before := runtime.NumGoroutine()
	rows, err := db.Query(ctx, `SELECT n FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	return runtime.NumGoroutine() - before
}

// A statement on a detached pool starts no goroutine to watch its
// caller's context (database/sql and the SQLite driver each start one
// otherwise: under load those wake-ups held arrived requests back for up
// to 250 ms). The context still counts between statements: nothing starts
// for a caller that has gone, a transaction whose context ended rolls back
// at Commit, and waiting for a connection ends with the caller.
func TestDetachedStatementsWatchNoContext(t *testing.T) {
	db := guardTestDB(t, 1)
	if n := openRowsGoroutines(t, db); n < 1 {
		t.Fatalf("an attached query started %d goroutines; this test no longer shows what Detached avoids", n)
	}
	detached := Detached(db)
	if n := openRowsGoroutines(t, detached); n != 0 {
		t.Errorf("a detached query started %d goroutines, want 0", n)
	}

	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if err := one(t, detached, gone); !errors.Is(err, context.Canceled) {
		t.Errorf("detached query for a caller that has gone: %v, want context.Canceled", err)
	}
	if _, err := detached.Exec(gone, `INSERT INTO t VALUES (9)`); !errors.Is(err, context.Canceled) {
		t.Errorf("detached write for a caller that has gone: %v, want context.Canceled", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	tx, err := detached.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO t VALUES (4)`); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := tx.Exec(context.Background(), `INSERT INTO t VALUES (5)`); !errors.Is(err, context.Canceled) {
		t.Errorf("a statement after the transaction's context ended: %v, want context.Canceled", err)
	}
	if err := tx.Commit(context.Background()); !errors.Is(err, context.Canceled) {
		t.Errorf("commit after the transaction's context ended: %v, want context.Canceled", err)
	}
	var n int
	if err := detached.QueryRow(context.Background(), `SELECT count(*) FROM t WHERE n >= 4`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows of the rolled-back transaction: %d, %v; want none", n, err)
	}

	guarded := Guard(detached, Limits{Slots: 1, Wait: time.Minute}, nil, nil)
	rows, err := guarded.Query(context.Background(), `SELECT n FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	waiting, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	var be *store.BusyError
	if err := one(t, guarded, waiting); !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &be) {
		t.Errorf("waiting for the only connection, for a caller that has gone: %v, want its context's error", err)
	}
}
