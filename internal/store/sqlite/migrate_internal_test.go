package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// TestChunkMigrationKeepsAttachments: a database made before migration 0020
// kept each attachment's bytes in one BLOB; after it, every attachment
// reads back byte for byte from its chunks (empty, exactly one chunk, one
// byte more, several).
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
	sizes := map[int64]int{1: 0, 2: 5, 3: attachmentChunkSize, 4: attachmentChunkSize + 1, 5: 700000}
	contents := map[int64][]byte{}
	for id, size := range sizes {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(int(id)*i + i>>9)
		}
		contents[id] = b
		if _, err := raw.Exec(`INSERT INTO attachments (id, project_id, name, content, size, sha256, created_at)
			VALUES (?, 1, 'a', ?, ?, 'sum', '2026-01-01T00:00:00Z')`, id, b, size); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, dbPath)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer db.Close()
	for id, want := range contents {
		c, err := db.AttachmentContent(ctx, id)
		if err != nil {
			t.Fatalf("attachment %d: %v", id, err)
		}
		got, err := io.ReadAll(c.Content)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("attachment %d after the migration: %d bytes (%v), want the %d stored", id, len(got), err, len(want))
		}
	}
}

// attachmentChunkSize is the chunk size migration 0020 uses.
const attachmentChunkSize = 262144
