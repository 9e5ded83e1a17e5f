package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// TestClassify: the server's answers that mean "busy" or "disk full" become
// store.BusyError (503 with Retry-After); other errors stay as they are.
func TestClassify(t *testing.T) {
	for code, full := range map[string]bool{"53100": true, "55P03": false, "40001": false, "40P01": false, "53300": false, "57P03": false} {
		be := classify(fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code}))
		if be == nil || be.DiskFull != full || be.RetryAfter <= 0 {
			t.Errorf("SQLSTATE %s: %+v, want busy (disk full: %v) with a Retry-After", code, be, full)
		}
	}
	for _, err := range []error{&pgconn.PgError{Code: "23505"}, &pgconn.PgError{Code: "42P01"}, errors.New("other")} {
		if be := classify(err); be != nil {
			t.Errorf("%v classified as %+v", err, be)
		}
	}
}

// TestChunkMigrationKeepsAttachments: a database made before migration 0020
// kept each attachment's bytes in one bytea; after it, every attachment
// reads back byte for byte from its chunks.
func TestChunkMigrationKeepsAttachments(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	before := fstest.MapFS{}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, n := range names {
		if path.Base(n) < "0020" {
			b, _ := fs.ReadFile(migrations, n)
			before[n] = &fstest.MapFile{Data: b}
		}
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, newDB(pool), before, "migrations"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO organizations (id, name) VALUES (1, 'o');
		INSERT INTO projects (id, number, name, organization_id, type, status) VALUES (1, 'P1', 'p', 1, 'client', 'new')`); err != nil {
		t.Fatal(err)
	}
	contents := storetest.ChunkEdgeContents()
	for id, b := range contents {
		if _, err := pool.Exec(ctx, `INSERT INTO attachments (id, project_id, name, content, size, sha256, created_at)
			VALUES ($1, 1, 'a', $2, $3, 'sum', now())`, id, b, len(b)); err != nil {
			t.Fatal(err)
		}
	}
	pool.Close()

	db, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer db.Close()
	storetest.CheckAttachments(t, db, contents)
}
