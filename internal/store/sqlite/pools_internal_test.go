package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReadersNeverWrite: the reader pools are query_only and begin their
// transactions DEFERRED, so a read never takes, or waits for, the write
// lock (an import holds it for seconds).
func TestReadersNeverWrite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The writer holds the write lock, as an import does.
	held, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := held.ExecContext(ctx, `DELETE FROM login_attempts`); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*sql.DB{"short readers": db.r, "stream readers": db.s} {
		start := time.Now()
		if _, err := r.ExecContext(ctx, `INSERT INTO login_attempts (limit_key, window_start, window_end, attempts) VALUES ('k', 0, 0, 1)`); err == nil ||
			!strings.Contains(err.Error(), "readonly") {
			t.Errorf("%s: a write: %v, want it refused", name, err)
		}
		tx, err := r.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM login_attempts`).Scan(&n); err != nil {
			t.Errorf("%s: a read in a transaction: %v", name, err)
		}
		tx.Rollback()
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: reading took %s while the writer held the lock", name, took)
		}
	}
	held.Rollback()
	if _, err := db.w.ExecContext(ctx, `INSERT INTO login_attempts (limit_key, window_start, window_end, attempts) VALUES ('k', 0, 0, 1)`); err != nil {
		t.Errorf("the writer: %v", err)
	}
}
