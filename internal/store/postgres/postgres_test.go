package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var ctx = context.Background()

// open opens a store on url, closed when the test ends.
func open(t testing.TB, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func importData(t testing.TB, db *postgres.DB, data []byte) {
	t.Helper()
	if _, err := dataset.Import(ctx, bytes.NewReader(data), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, data []byte) store.Store {
		db := open(t, pgtest.NewDatabase(t))
		importData(t, db, data)
		return db
	})
}

func BenchmarkKeysetPage(b *testing.B) {
	storetest.BenchKeysetPage(b, func(b *testing.B, data []byte) store.Store {
		db := open(b, pgtest.NewDatabase(b))
		importData(b, db, data)
		return db
	})
}

func TestReopenKeepsDataAndSkipsMigrations(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db := open(t, url)
	importData(t, db, dataset.DemoJSON)
	db.Close()
	again := open(t, url)
	if empty, err := again.IsEmpty(ctx); err != nil || empty {
		t.Fatalf("data lost on re-open: %v %v", empty, err)
	}
}

// TestInstancesStartingTogetherMigrateOnce: the advisory lock lets eight
// instances open one new database at once; each migration runs once.
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("open: %v", err)
	}
	db := open(t, url)
	if empty, err := db.IsEmpty(ctx); err != nil || !empty {
		t.Fatalf("schema after concurrent starts: %v %v", empty, err)
	}
}

// TestNewIDsFollowImportedOnes: ids portald assigns never collide with
// imported ones, and re-importing the same data changes nothing.
func TestNewIDsFollowImportedOnes(t *testing.T) {
	db := open(t, pgtest.NewDatabase(t))
	importData(t, db, dataset.DemoJSON)
	importData(t, db, dataset.DemoJSON)
	var maxTask int64
	err := db.Tasks(ctx, store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{100, 101, 102}}}, func(task api.Task) error {
		maxTask = max(maxTask, task.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	issue, err := db.CreateIssue(ctx, store.NewIssue{ProjectID: 1, ContactID: 1002, Title: "New", Priority: "low", CreatedAt: now}, nil)
	if err != nil || issue.ID <= maxTask {
		t.Fatalf("new issue %d after imported tasks up to %d: %v", issue.ID, maxTask, err)
	}
	if _, err := db.AddTaskNote(ctx, api.TaskNote{TaskID: issue.ID, Subject: "s", Body: "b", CreatedAt: now}, 1002); err != nil {
		t.Fatalf("task note after import: %v", err)
	}
	if _, err := db.AddNote(ctx, api.Note{ProjectID: 1, Title: "t", Body: "b", CreatedAt: now}, 1002); err != nil {
		t.Fatalf("project note after import: %v", err)
	}
}

// TestImportRefreshesPlannerStatistics: right after an import the planner
// knows the tables' sizes (else it sorts whole tables for one keyset page).
func TestImportRefreshesPlannerStatistics(t *testing.T) {
	url := pgtest.NewDatabase(t)
	importData(t, open(t, url), storetest.Fixture(t))
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows float64
	if err := conn.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE relname = 'billing_items'`).Scan(&rows); err != nil || rows < 700 {
		t.Fatalf("planner's row estimate for billing_items: %v %v (want the 700+ imported)", rows, err)
	}
}

// TestInstancesClaimEachEmailOnce: three instances (pools) on one database,
// three workers each, claim 200 queued emails; each is claimed exactly once.
func TestInstancesClaimEachEmailOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	a, b, c := open(t, url), open(t, url), open(t, url)
	importData(t, a, dataset.DemoJSON)
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	for i, st := range slices.Repeat([]*postgres.DB{a, b, c}, 67)[:200] {
		if _, err := st.EnqueueEmail(ctx, store.Email{Kind: "t", To: []string{"x@example.com"}, Subject: fmt.Sprint(i),
			Body: "b", CreatedAt: now, NextAttemptAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	claims := storetest.ClaimAll(t, now, 4, a, b, c, a, b, c, a, b, c)
	if len(claims) != 200 {
		t.Errorf("%d emails claimed, want 200", len(claims))
	}
	for id, n := range claims {
		if n != 1 {
			t.Errorf("email %d claimed %d times", id, n)
		}
	}
}

// TestLockWaitIsBounded: a write that needs a row another transaction holds
// (an import's, say) waits lock_timeout, then fails with *store.BusyError
// (503 with Retry-After) instead of hanging the request.
func TestLockWaitIsBounded(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db := open(t, url)
	importData(t, db, dataset.DemoJSON)
	holder, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT id FROM projects WHERE id = 1 FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = db.AddNote(ctx, api.Note{ProjectID: 1, Title: "t", Body: "b", CreatedAt: time.Now()}, 1002)
	var be *store.BusyError
	if !errors.As(err, &be) || be.RetryAfter <= 0 {
		t.Fatalf("a write behind a held lock: %v, want a *store.BusyError", err)
	}
	if waited := time.Since(start); waited > 15*time.Second {
		t.Errorf("waited %s for the lock", waited)
	}
}

// TestPoolNeedsTwoConnections: one connection could not serve streams and
// everything else apart.
func TestPoolNeedsTwoConnections(t *testing.T) {
	url := pgtest.NewDatabase(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	if _, err := postgres.Open(ctx, url+sep+"pool_max_conns=1"); err == nil || !strings.Contains(err.Error(), "pool_max_conns must be at least 2") {
		t.Fatalf("pool_max_conns=1: %v, want refused", err)
	}
}
