package postgres_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// TestLoginAttemptsArePruned: a key whose window has ended is deleted by the
// next attempt of any key, so the table never grows past the keys of one
// window.
func TestLoginAttemptsArePruned(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db := open(t, url)
	first := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	for _, key := range []string{"ip:10.0.0.1", "user:ben", "user:ben"} {
		if _, err := db.CountLoginAttempt(ctx, key, first, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CountLoginAttempt(ctx, "user:ava", first.Add(time.Minute), time.Minute); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var keys string
	if err := conn.QueryRow(ctx, `SELECT string_agg(limit_key, ' ') FROM login_attempts`).Scan(&keys); err != nil || keys != "user:ava" {
		t.Fatalf("rows after the first window ended: %q %v, want only user:ava", keys, err)
	}
}
