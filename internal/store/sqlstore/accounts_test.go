package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// TestMain runs the PostgreSQL server the postgres case uses.
func TestMain(m *testing.M) { pgtest.Main(m) }

// accounts are the local-account methods the Autotask bridge adds.
type accounts interface {
	ReserveIdempotencyKey(ctx context.Context, k store.Idempotency) error
	SetIdempotencyTask(ctx context.Context, contactID int64, key string, taskID int64) error
	DeleteIdempotencyKey(ctx context.Context, contactID int64, key string) error
	IdempotencyKey(ctx context.Context, contactID int64, key string, notBefore time.Time) (store.Idempotency, error)
}

// TestIdempotencyReservations runs the reservation steps the Autotask
// bridge's CreateIssue takes, on real SQLite and PostgreSQL databases.
func TestIdempotencyReservations(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testReservations(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := postgres.Open(ctx, pgtest.NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testReservations(t, db)
	})
}

func testReservations(t *testing.T, db accounts) {
	ctx := context.Background()
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	key := func(k, hash string, at time.Time) store.Idempotency {
		return store.Idempotency{ContactID: 7, Key: k, RequestHash: hash, CreatedAt: at}
	}
	get := func(k string) (store.Idempotency, error) {
		return db.IdempotencyKey(ctx, 7, k, now.Add(-store.IdempotencyTTL))
	}

	if err := db.ReserveIdempotencyKey(ctx, key("a", "h1", now)); err != nil {
		t.Fatal(err)
	}
	if got, err := get("a"); err != nil || got.TaskID != 0 || got.RequestHash != "h1" {
		t.Errorf("a reservation has task id 0: %+v %v", got, err)
	}
	if err := db.ReserveIdempotencyKey(ctx, key("a", "h2", now)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("reserving a live key twice: %v, want ErrConflict", err)
	}
	if err := db.SetIdempotencyTask(ctx, 7, "a", 4242); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteIdempotencyKey(ctx, 7, "a"); err != nil {
		t.Fatal(err)
	}
	if got, err := get("a"); err != nil || got.TaskID != 4242 {
		t.Errorf("a key that filed its task survives a delete: %+v %v", got, err)
	}

	if err := db.ReserveIdempotencyKey(ctx, key("b", "h1", now)); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteIdempotencyKey(ctx, 7, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := get("b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a dropped reservation is gone: %v", err)
	}
	if err := db.ReserveIdempotencyKey(ctx, key("b", "h3", now)); err != nil {
		t.Errorf("a dropped reservation can be made again: %v", err)
	}

	later := now.Add(store.IdempotencyTTL + time.Hour)
	if err := db.ReserveIdempotencyKey(ctx, key("a", "h4", later)); err != nil {
		t.Errorf("an expired key is replaced: %v", err)
	}
	if got, _ := db.IdempotencyKey(ctx, 7, "a", now); got.RequestHash != "h4" || got.TaskID != 0 {
		t.Errorf("replaced key: %+v", got)
	}
	if err := db.SetIdempotencyTask(ctx, 7, "nope", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("setting the task of an unknown key: %v, want ErrNotFound", err)
	}
}
