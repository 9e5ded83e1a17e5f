package sqlite_test

import (
	"database/sql"
	"testing"
	"time"
)

// TestLoginAttemptsArePruned: a key whose window has ended is deleted by the
// next attempt of any key, so the table never grows past the keys of one
// window.
func TestLoginAttemptsArePruned(t *testing.T) {
	db, path := open(t)
	first := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	for _, key := range []string{"ip:10.0.0.1", "user:ben", "user:ben"} {
		if _, err := db.CountLoginAttempt(ctx, key, first, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CountLoginAttempt(ctx, "user:ava", first.Add(time.Minute), time.Minute); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var keys string
	if err := raw.QueryRow(`SELECT group_concat(limit_key, ' ') FROM login_attempts`).Scan(&keys); err != nil || keys != "user:ava" {
		t.Fatalf("rows after the first window ended: %q %v, want only user:ava", keys, err)
	}
}
