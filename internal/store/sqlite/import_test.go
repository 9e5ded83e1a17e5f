package sqlite

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"golang.org/x/crypto/bcrypt"
)

// schema lists the indexes and the writer connection's settings: what an
// import into an empty database changes while it runs and must put back.
func schema(t *testing.T, db *DB) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.w.QueryContext(ctx, `SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	for _, pragma := range []string{"temp_store", "cache_size", "foreign_keys"} {
		var v string
		if err := db.w.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, pragma+" = "+v)
	}
	return out
}

func openEmpty(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// An import into an empty database drops the billing items' indexes while
// it loads them; afterwards the same indexes are there, queries use them,
// and the writer has its own settings back.
func TestImportIntoEmptyDatabaseKeepsIndexesAndSettings(t *testing.T) {
	db := openEmpty(t)
	before := schema(t, db)
	var data bytes.Buffer
	if err := dataset.WriteDemo(&data, dataset.DemoOptions{BillingItems: 1000}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sum, err := dataset.Import(ctx, &data, db, dataset.Options{BcryptCost: bcrypt.MinCost})
	if err != nil || sum["billing_items"] < 1000 {
		t.Fatalf("import: %v %v", sum, err)
	}
	if after := schema(t, db); !reflect.DeepEqual(after, before) {
		t.Fatalf("after the import:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	var plan, detail string
	var id, parent int
	err = db.r.QueryRowContext(ctx, `EXPLAIN QUERY PLAN SELECT id FROM billing_items WHERE worked_date >= '2025-01-01' ORDER BY worked_date, id`).
		Scan(&id, &parent, &plan, &detail)
	if err != nil || !strings.Contains(detail, "billing_items_date") {
		t.Fatalf("query plan %q (%v): the date index is not used", detail, err)
	}
	if v, err := db.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity: %q %v", v, err)
	}
}

// A failed import into an empty database leaves it as it was: no rows,
// every index, the writer's settings.
func TestFailedImportRestoresIndexesAndSettings(t *testing.T) {
	db := openEmpty(t)
	before := schema(t, db)
	boom := errors.New("boom")
	err := db.Import(context.Background(), func(w dataset.Writer) error {
		if err := w.Write(&dataset.Organization{ID: 1, Name: "A", TimeZone: "UTC"}); err != nil {
			return err
		}
		for i := range 500 {
			b := &dataset.BillingItem{ID: int64(i + 1), ProjectID: 1, ContractID: 1, WorkedDate: "2026-01-01"}
			if err := w.Write(b); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if after := schema(t, db); !reflect.DeepEqual(after, before) {
		t.Fatalf("after the failed import:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	var n int
	if err := db.r.QueryRow(`SELECT (SELECT count(*) FROM billing_items) + (SELECT count(*) FROM organizations)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows after a failed import (%v)", n, err)
	}
}

// An import interrupted (portald import and Ctrl-C) once its rows are in,
// while the indexes are being built, writes nothing: the writer checks the
// context between statements (sqlstore.Detached) and does not commit.
func TestImportInterruptedWhileIndexingWritesNothing(t *testing.T) {
	db := openEmpty(t)
	before := schema(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	err := db.Import(ctx, func(w dataset.Writer) error {
		if err := w.Write(&dataset.Organization{ID: 1, Name: "A", TimeZone: "UTC"}); err != nil {
			return err
		}
		cancel() // the rows are written; the index builds and the commit are left
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if after := schema(t, db); !reflect.DeepEqual(after, before) {
		t.Fatalf("after the interrupted import:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM organizations`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d organizations after an interrupted import (%v)", n, err)
	}
}
