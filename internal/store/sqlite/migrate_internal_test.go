package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/internal/store/storetest"
)

// TestChunkMigrationKeepsAttachments: a database made before migration 0020
// kept each attachment's bytes in one BLOB; after it, every attachment
// reads back byte for byte from its chunks.
func TestChunkMigrationKeepsAttachments(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "old.db")
	before := fstest.MapFS{}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if path.Base(n) < "0020" {
			b, _ := fs.ReadFile(migrations, n)
			before[n] = &fstest.MapFile{Data: b}
		}
	}
	raw, err := sql.Open("sqlite", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, sqlstore.FromSQL(raw), before, "migrations"); err != nil {
		t.Fatal(err)
	}
	contents := storetest.ChunkEdgeContents()
	for id, b := range contents {
		if _, err := raw.Exec(`INSERT INTO attachments (id, project_id, name, content, size, sha256, created_at)
			VALUES (?, 1, 'a', ?, ?, 'sum', '2026-01-01T00:00:00Z')`, id, b, len(b)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, dbPath)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer db.Close()
	storetest.CheckAttachments(t, db, contents)
}
