package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/portalctl/portalctl/internal/store"
)

// Dialect is what differs between the SQL of SQLite and PostgreSQL.
type Dialect struct {
	// Contains is the function f(haystack, needle) that is > 0 when needle
	// occurs in haystack: instr (SQLite), strpos (PostgreSQL).
	Contains string
	// UsernameIs compares contacts.username with one argument ignoring case,
	// the way the database's unique index does.
	UsernameIs string
	// ClaimLock ends the SELECT that claims due emails: FOR UPDATE SKIP
	// LOCKED on PostgreSQL, "" on SQLite (its write transactions are
	// exclusive).
	ClaimLock string
	// DeferForeignKeys starts an import transaction, so records may refer to
	// records later in the file.
	DeferForeignKeys string
	// AfterImport run at the end of an import (PostgreSQL moves identity
	// sequences past the imported ids and refreshes planner statistics).
	AfterImport []string
	// Analyze refreshes the planner's statistics after an import that
	// filled an empty table or wrote at least analyzeRows rows ("" =
	// never): small imports (a sync, a correction) do not move them, and
	// ANALYZE costs a fraction of a second each time.
	Analyze string
	// IsUnique reports a unique-constraint violation.
	IsUnique func(error) bool
	// Classify recognises the driver errors that mean the database is busy
	// (locked by another writer, a lock wait timed out, out of
	// connections) or its disk is full; nil for any other error.
	Classify func(error) *store.BusyError
	// RowLock ends a SELECT that locks the rows it reads until the
	// transaction ends: " FOR NO KEY UPDATE" on PostgreSQL, "" on SQLite
	// (its write transactions are exclusive).
	RowLock string
	// IndexesOf selects (name, CREATE statement) of a table's secondary
	// non-unique indexes, given the table name. An import into an empty
	// table drops them and builds them once its rows are in, faster than
	// updating them row by row. "" keeps the indexes.
	IndexesOf string
	// BulkLoad are connection settings for building those indexes, run
	// inside the import transaction when it drops the first ones;
	// BulkLoadDone restores them after the import, committed or not.
	BulkLoad, BulkLoadDone []string
	// Month formats a date column (%s) as its YYYY-MM.
	Month string
}

// Store implements the whole contract on SQL: store.PortalData,
// store.Source (an imported portal is its own source), store.Accounts,
// store.AttachmentWriter, store.IssueDeduper and dataset.Importer. Reads go
// to r and writes to w, which may be the same pool (SQLite keeps a
// single-connection writer pool so writes queue instead of failing with
// SQLITE_BUSY).
type Store struct {
	r, w   DB
	d      Dialect
	health *Health
}

// Stores are the database as every store of a portal that owns its data.
func (s *Store) Stores() store.Stores {
	return store.Stores{Data: s, Source: s, Accounts: s, Calendar: s}
}

// New returns a store on the given pools; h (may be nil) is the Health
// their guards report a full disk to (see Guard).
func New(r, w DB, d Dialect, h *Health) *Store { return &Store{r: r, w: w, d: d, health: h} }

// Ping checks that the database answers and that its disk was not found
// full (or has room again): readiness.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.health.check(); err != nil {
		return err
	}
	var one int
	return s.r.QueryRow(ctx, `SELECT 1`).Scan(&one)
}

// execOne runs a write that must change exactly one row.
func (s *Store) execOne(ctx context.Context, query string, args ...any) error {
	n, err := s.w.Exec(ctx, query, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// insertID runs an INSERT … RETURNING id.
func insertID(ctx context.Context, c Conn, query string, args ...any) (int64, error) {
	var id int64
	err := c.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// inTx runs fn in a write transaction, committing only when it succeeds;
// fn's error is returned as is (callers compare with store.ErrConflict).
func (s *Store) inTx(ctx context.Context, fn func(tx Tx) error) error {
	tx, err := s.w.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

// randomHex is a unique placeholder while an id is not yet known.
func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// IsEmpty reports whether the database holds no portal data yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRow(ctx, `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM projects)`).Scan(&n)
	return n == 0, err
}
