package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// connMutex is the connection mutex of one connection of pool (0: none).
func connMutex(t *testing.T, pool *sql.DB) uintptr {
	t.Helper()
	c, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var mu uintptr
	err = c.Raw(func(dc any) error {
		db := connHandle(dc)
		if db == 0 {
			t.Fatalf("no sqlite3 handle found in %T: modernc's conn changed; update connHandle (nomutex.go) or drop it", dc)
		}
		tls := libc.NewTLS()
		defer tls.Close()
		mu = sqlite3.Xsqlite3_db_mutex(tls, db)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mu
}

// TestConnectionsRunWithoutMutex: every pool's connections run without
// SQLite's per-connection mutex (dropConnMutex), while a connection of the
// plain "sqlite" driver still has one, so the check can tell them apart.
// It fails when a modernc release moves the handle the hook clears.
func TestConnectionsRunWithoutMutex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, pool := range map[string]*sql.DB{"writer": db.w, "short readers": db.r, "stream readers": db.s} {
		if mu := connMutex(t, pool); mu != 0 {
			t.Errorf("%s: the connection has its mutex (%#x), want none", name, mu)
		}
	}
	plain, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if connMutex(t, plain) == 0 {
		t.Error(`a connection of the plain "sqlite" driver has no mutex: the hook reaches beyond the store's pools`)
	}
}

// TestConnectionsWithoutMutexUnderConcurrency reads and writes through
// every pool from many goroutines at once (run it with -race): what the
// connection mutex guarded, database/sql's one-goroutine-per-connection
// rule must guard now.
func TestConnectionsWithoutMutexUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Go(func() {
			for i := range 50 {
				if g%4 == 0 {
					if _, err := db.w.ExecContext(ctx, `INSERT INTO n (v) VALUES (?)`, "note"); err != nil {
						errs <- err
						return
					}
					continue
				}
				pool := db.r
				if i%2 == 1 {
					pool = db.s
				}
				rows, err := pool.QueryContext(ctx, `SELECT id, v FROM n ORDER BY id`)
				if err != nil {
					errs <- err
					return
				}
				for rows.Next() {
					var id int64
					var v string
					if err := rows.Scan(&id, &v); err != nil || v != "note" {
						errs <- fmt.Errorf("row %d: %q, %v", id, v, err)
						break
					}
				}
				if err := rows.Close(); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM n`).Scan(&n); err != nil || n != 4*50 {
		t.Errorf("rows written: %d, %v; want 200", n, err)
	}
}
