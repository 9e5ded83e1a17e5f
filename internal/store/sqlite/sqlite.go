// Package sqlite is the embedded, pure-Go (modernc.org/sqlite) implementation
// of store.Store and store.Importer: one file, WAL, versioned migrations. The
// queries themselves are internal/store/sqlstore's, shared with PostgreSQL.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	sqlite "modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite-backed store. SQLite allows one writer at a time, so writes
// go through a pool of exactly one connection (they queue in Go instead of
// failing with SQLITE_BUSY) while reads use their own pool under WAL.
type DB struct {
	*sqlstore.Store
	w *sql.DB
	r *sql.DB
}

var (
	_ store.Store    = (*DB)(nil)
	_ store.Importer = (*DB)(nil)
)

// dialect is SQLite's side of the shared SQL.
var dialect = sqlstore.Dialect{
	Contains:         "instr",
	UsernameIs:       "username = ? COLLATE NOCASE",
	ClaimLock:        "", // write transactions are exclusive (_txlock=immediate, one writer)
	DeferForeignKeys: "PRAGMA defer_foreign_keys = ON",
	IsUnique:         isUnique,
	Month:            "substr(%s, 1, 7)", // dates are YYYY-MM-DD text
	// Auto-indexes (sql IS NULL) and unique indexes enforce constraints:
	// those stay.
	IndexesOf: `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ` +
		`AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'`,
	// Building an index sorts its keys. With temp_store MEMORY, SQLite
	// sorts them all in memory, one allocation per key (a million billing
	// items: 225 MB peak, and seconds in the allocator); on FILE it sorts
	// runs of cache_size bytes and merges them from a temporary file (100
	// MB). The writer's own settings (Open) come back after the import.
	BulkLoad:     []string{"PRAGMA temp_store = FILE", "PRAGMA cache_size = -8192"},
	BulkLoadDone: []string{"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -32768"},
}

// Open opens (creating if needed) the database at path and applies pending
// migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn := func(pragmas ...string) string {
		q := url.Values{}
		for _, p := range append([]string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"}, pragmas...) {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		return "file:" + path + "?" + q.Encode()
	}
	// The writer keeps statement journals in memory (an import's upserts
	// otherwise write each one to a temp file: half its time) and a 32 MiB
	// page cache. Each of the 8 readers gets 8 MiB, so streaming a million
	// billing items mostly hits the cache while memory stays bounded.
	w, err := sql.Open("sqlite", dsn("temp_store(MEMORY)", "cache_size(-32768)"))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := sqlstore.Migrate(ctx, sqlstore.FromSQL(w), migrations, "migrations"); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn("cache_size(-8192)"))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &DB{Store: sqlstore.New(sqlstore.FromSQL(r), sqlstore.FromSQL(w), dialect), w: w, r: r}, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Close closes both pools.
func (db *DB) Close() error { return errors.Join(db.r.Close(), db.w.Close()) }

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok").
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&v)
	return v, err
}

// isUnique reports a UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
