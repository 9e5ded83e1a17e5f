// Package sqlite is the embedded, pure-Go (modernc.org/sqlite) implementation
// of the store contract and dataset.Importer: one file, WAL, versioned migrations. The
// queries themselves are internal/store/sqlstore's, shared with PostgreSQL.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	sqlite "modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite-backed store. SQLite allows one writer at a time, so writes
// go through a pool of exactly one connection (they queue in Go instead of
// failing with SQLITE_BUSY) while reads use their own pools under WAL: one
// for authentication and short requests, one for streams and downloads.
type DB struct {
	*sqlstore.Store
	w, r, s *sql.DB // the writer, the short readers, the stream readers
}

var (
	_ store.PortalData       = (*DB)(nil)
	_ store.Source           = (*DB)(nil)
	_ store.Accounts         = (*DB)(nil)
	_ store.AttachmentWriter = (*DB)(nil)
	_ store.IssueDeduper     = (*DB)(nil)
	_ dataset.Importer       = (*DB)(nil)
)

// dialect is SQLite's side of the shared SQL.
var dialect = sqlstore.Dialect{
	Contains:         "instr",
	UsernameIs:       "username = ? COLLATE NOCASE",
	ClaimLock:        "", // write transactions are exclusive (_txlock=immediate, one writer)
	DeferForeignKeys: "PRAGMA defer_foreign_keys = ON",
	IsUnique:         isUnique,
	Classify:         classify,
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

// The reader pools. Streams (NDJSON exports, attachment downloads) get
// their own few connections, so that clients that read slowly, or not at
// all, can never take the connections every other request needs.
const (
	shortReaders  = 6
	streamReaders = 3
	// poolWait bounds a request's wait for a connection: past it the
	// request answers 503 unavailable with Retry-After instead of queueing
	// behind the others.
	poolWait = 5 * time.Second
)

// Open opens (creating if needed, readable by its owner only) the database
// at path and applies pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Writers begin their transactions IMMEDIATE (the lock up front, so a
	// transaction never fails half way for want of it); readers are
	// query_only and begin DEFERRED, so nothing on the read path ever
	// waits for the write lock (an import holds it for seconds).
	dsn := func(writer bool, pragmas ...string) string {
		q := url.Values{}
		for _, p := range append([]string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"}, pragmas...) {
			q.Add("_pragma", p)
		}
		if writer {
			q.Set("_txlock", "immediate")
		} else {
			q.Add("_pragma", "query_only(1)")
		}
		return "file:" + path + "?" + q.Encode()
	}
	// The writer keeps statement journals in memory (an import's upserts
	// otherwise write each one to a temp file: half its time) and a 32 MiB
	// page cache. Each short reader gets 8 MiB, so repeated pages mostly hit
	// the cache while memory stays bounded. A stream gets 16 MiB: it walks
	// an index in order, but each entry leads to a table row (and a
	// project or ticket) anywhere in the file, and with 2 MiB an export of
	// a million items spent half its CPU re-reading pages it had just
	// evicted (BenchmarkBilledHoursExport, bench/export.sh).
	if err := migrate(ctx, dsn(true)); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w, err := pool(dsn(true, "temp_store(MEMORY)", "cache_size(-32768)"), 1)
	if err != nil {
		return nil, err
	}
	w.SetConnMaxLifetime(0)
	r, err := pool(dsn(false, "cache_size(-8192)"), shortReaders)
	if err != nil {
		w.Close()
		return nil, err
	}
	s, err := pool(dsn(false, "cache_size(-16384)"), streamReaders)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	h := sqlstore.NewHealth(hasSpace(filepath.Dir(path)))
	guard := func(db sqlstore.DB, n int) sqlstore.DB {
		return sqlstore.Guard(db, sqlstore.Limits{Slots: n, Wait: poolWait}, classify, h)
	}
	// The short readers and the writer check their caller's context
	// between statements rather than during them (sqlstore.Detached says
	// why): their statements are short, and an import or a sync pass still
	// stops between two. Streams keep watching: a client that leaves ends
	// its export's query.
	reads := sqlstore.Split(guard(sqlstore.Detached(sqlstore.FromSQL(r)), shortReaders), guard(sqlstore.FromSQL(s), streamReaders))
	return &DB{Store: sqlstore.New(reads, guard(sqlstore.Detached(sqlstore.FromSQL(w)), 1), dialect, h), w: w, r: r, s: s}, nil
}

// migrate applies pending migrations on a connection of its own: what a
// migration leaves on its connection (a temporary database, once opened,
// keeps the writer's import from changing temp_store) stays there.
func migrate(ctx context.Context, dsn string) error {
	db, err := pool(dsn, 1)
	if err != nil {
		return err
	}
	return errors.Join(sqlstore.Migrate(ctx, sqlstore.FromSQL(db), migrations, "migrations"), db.Close())
}

func pool(dsn string, conns int) (*sql.DB, error) {
	db, err := openPool(dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// createPrivate creates a missing database file with mode 0600: it holds
// password and token hashes. SQLite gives its -wal and -shm files the
// database file's mode.
func createPrivate(path string) error {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// Close closes the pools.
func (db *DB) Close() error { return errors.Join(db.s.Close(), db.r.Close(), db.w.Close()) }

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok").
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&v)
	return v, err
}

// classify recognises a busy database (another process holds the write
// lock: an import; a table locked) and a full disk.
func classify(err error) *store.BusyError {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &store.BusyError{Reason: "the portal's database is busy (an import may be running); retry in a moment",
			RetryAfter: 2 * time.Second, Err: err}
	case sqlite3.SQLITE_FULL:
		return &store.BusyError{Reason: "the disk holding the portal's database is full; the provider must free space",
			RetryAfter: 30 * time.Second, DiskFull: true, Err: err}
	}
	return nil
}

// isUnique reports a UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
