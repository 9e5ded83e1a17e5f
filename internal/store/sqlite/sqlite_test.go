package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"golang.org/x/crypto/bcrypt"
)

var ctx = context.Background()

func open(t *testing.T) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "portal.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, data []byte) store.Store {
		db, _ := open(t)
		if _, err := dataset.Import(ctx, bytes.NewReader(data), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestReopenKeepsDataAndSkipsMigrations(t *testing.T) {
	db, path := open(t)
	if _, err := dataset.Import(ctx, bytes.NewReader(dataset.DemoJSON), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer again.Close()
	if empty, err := again.IsEmpty(ctx); err != nil || empty {
		t.Fatalf("data lost on re-open: %v %v", empty, err)
	}
	if v, err := again.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity: %q %v", v, err)
	}
}

// TestDatabaseFilesArePrivate: the database holds password and token
// hashes, so a new one is created readable by its owner only, and so are
// its -wal and -shm files.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, whatever the test runner's
	defer syscall.Umask(old)
	db, path := open(t)
	if _, err := db.CountLoginAttempt(ctx, "ip:127.0.0.1", time.Now(), time.Minute); err != nil { // a write: WAL in use
		t.Fatal(err)
	}
	if _, err := db.IsEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), mode)
		}
	}
}
