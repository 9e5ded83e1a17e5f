package autotask_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// Two portald instances on one database: exactly one syncs (on PostgreSQL
// it holds the advisory lock, on SQLite the lease row); when it dies the
// other takes over within an interval, and both serve the same copy.
func TestOneInstanceSyncsAndAnotherTakesOver(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		testTakeOver(t, func() (autotask.Local, func()) {
			db, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			return db, func() { db.Close() }
		}, func() { // its session ends too, as when its process dies
			admin, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer admin.Close(ctx)
			if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
				WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "portal.db")
		testTakeOver(t, func() (autotask.Local, func()) {
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			return db, func() { db.Close() }
		}, func() {})
	})
}

func testTakeOver(t *testing.T, open func() (autotask.Local, func()), die func()) {
	emu := atemu.New(atemu.Options{Credentials: autotasktest.Credentials})
	t.Cleanup(emu.Close)
	if err := emu.Seed(demo(t)); err != nil {
		t.Fatal(err)
	}
	const interval = 200 * time.Millisecond
	type instance struct {
		st     *autotask.Store
		c      *at.Client
		close  func()
		cancel context.CancelFunc
	}
	var wg sync.WaitGroup
	start := func() *instance {
		db, closeDB := open()
		c, err := at.New(ctx, at.Config{Credentials: autotasktest.Credentials, BaseURL: emu.URL(), RetryBase: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		st, err := autotask.Open(ctx, autotask.Options{Client: c, Local: db, SecurityLevels: emu.SecurityLevels(),
			Sync: autotask.SyncOptions{Interval: interval}})
		if err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		wg.Go(func() { st.Sync().Run(runCtx) })
		return &instance{st: st, c: c, close: closeDB, cancel: cancel}
	}
	a := start()
	waitComplete(t, a.st)
	b := start()
	t.Cleanup(func() { a.cancel(); b.cancel(); wg.Wait(); a.close(); b.close() })
	// A second instance starting while the first syncs waits.

	time.Sleep(5 * interval)
	aCalls, bCalls := a.c.Calls(), b.c.Calls()
	if aCalls == 0 || bCalls != 0 {
		t.Fatalf("Autotask calls: the first instance %d, the second %d; want only the first to sync", aCalls, bCalls)
	}
	if _, complete, _ := b.st.DataAsOf(ctx); !complete {
		t.Error("the second instance does not serve the copy the first made")
	}
	// The first instance dies: it stops.
	a.cancel()
	die()
	died := time.Now()
	for b.c.Calls() == 0 {
		if time.Since(died) > 3*interval {
			t.Fatalf("the second instance has not taken over %s after the first died", time.Since(died).Round(time.Millisecond))
		}
		time.Sleep(interval / 10)
	}
	t.Logf("the second instance took over %s after the first died (interval %s)", time.Since(died).Round(time.Millisecond), interval)
}

func waitComplete(t *testing.T, st *autotask.Store) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, complete, _ := st.DataAsOf(ctx); complete {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the initial sync did not complete in 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
