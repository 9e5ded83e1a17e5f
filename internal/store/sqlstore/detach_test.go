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

// A short statement on a detached pool starts no goroutine to watch its
// request's context (database/sql and the SQLite driver each start one
// otherwise: under load those wake-ups held arrived requests back for up
// to 250 ms), and it finishes although its client went away. Waiting for
// a connection still ends with the client.
func TestDetachedStatementsIgnoreTheirCallersCancellation(t *testing.T) {
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
	if err := one(t, db, gone); !errors.Is(err, context.Canceled) {
		t.Fatalf("attached query for a client that left: %v, want context.Canceled", err)
	}
	if err := one(t, detached, gone); err != nil {
		t.Errorf("detached query for a client that left: %v, want it answered", err)
	}
	tx, err := detached.Begin(gone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(gone, `INSERT INTO t VALUES (4)`); err != nil {
		t.Errorf("detached write for a client that left: %v", err)
	}
	if err := tx.Commit(gone); err != nil {
		t.Errorf("detached commit for a client that left: %v", err)
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
		t.Errorf("waiting for the only connection, for a client that left: %v, want its context's error", err)
	}
}
