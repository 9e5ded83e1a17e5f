// Package postgres implements the store contract and dataset.Importer on PostgreSQL
// (pgx v5 connection pool), so any number of portald instances can share one
// database. The queries are internal/store/sqlstore's, shared with SQLite;
// this package connects, migrates and supplies the PostgreSQL dialect.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the pg_advisory_lock key that serializes migrations of
// portald instances starting together ("portald" in ASCII).
const migrationLock int64 = 0x706f7274616c64

// DB is a PostgreSQL-backed store.
type DB struct {
	*sqlstore.Store
	pool *pgxpool.Pool
}

var (
	_ store.PortalData       = (*DB)(nil)
	_ store.Source           = (*DB)(nil)
	_ store.Accounts         = (*DB)(nil)
	_ store.AttachmentWriter = (*DB)(nil)
	_ store.IssueDeduper     = (*DB)(nil)
	_ dataset.Importer       = (*DB)(nil)
)

// identities are the tables whose ids portald assigns itself and an import
// may also set; after an import their sequences must continue past the
// imported ids.
var identities = []string{"tasks", "project_notes", "task_notes"}

func dialect() sqlstore.Dialect {
	d := sqlstore.Dialect{
		Contains:         "strpos",
		UsernameIs:       "lower(username) = lower(?)",
		ClaimLock:        " FOR UPDATE SKIP LOCKED",
		DeferForeignKeys: "SET CONSTRAINTS ALL DEFERRED",
		IsUnique:         isUnique,
		Classify:         classify,
		RowLock:          " FOR NO KEY UPDATE",
		Month:            "to_char(%s, 'YYYY-MM')",
	}
	for _, t := range identities {
		d.AfterImport = append(d.AfterImport, fmt.Sprintf(
			`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM %[1]s), false)`, t))
	}
	// Fresh statistics, or the planner takes a just-imported table for empty
	// and sorts all of it instead of walking an index (100x slower pages).
	d.Analyze = "ANALYZE"
	return d
}

// Pool sizing: without pool_max_conns in the URL a pool has
// defaultConns connections; a third of them (at least one) serve streams
// and downloads only, so that clients reading slowly, or not at all, can
// never take the connections every other request needs.
const (
	defaultConns = 12
	// poolWait bounds a request's wait for a connection: past it the
	// request answers 503 unavailable with Retry-After.
	poolWait = 5 * time.Second
	// lockTimeout bounds a statement's wait for a row lock (an import
	// holding it): past it the request answers 503 instead of hanging.
	lockTimeout = "5s"
)

// Open connects to the database at url (postgres://user:pass@host:port/db?…;
// pgxpool options such as pool_max_conns may be added, at least 2) and
// applies pending migrations, holding an advisory lock so that instances
// starting together migrate one after the other.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultConns
	}
	if cfg.MaxConns < 2 {
		return nil, errors.New("pool_max_conns must be at least 2: one connection serves streams only")
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["lock_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["lock_timeout"] = lockTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	streams := max(1, int(cfg.MaxConns)/3)
	h := sqlstore.NewHealth(nil)
	d := newDB(pool)
	short := sqlstore.Guard(d, sqlstore.Limits{Slots: int(cfg.MaxConns) - streams, Wait: poolWait}, classify, h)
	long := sqlstore.Guard(d, sqlstore.Limits{Slots: streams, Wait: poolWait}, classify, h)
	return &DB{Store: sqlstore.New(sqlstore.Split(short, long), short, dialect(), h), pool: pool}, nil
}

// migrate runs the migrations on one connection holding the advisory lock.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// Waiting for another instance's migrations is not a lock wait to time
	// out (lock_timeout also bounds advisory locks); RESET restores the
	// pool's setting before the connection goes back.
	if _, err := c.Exec(ctx, `SET lock_timeout = 0`); err != nil {
		c.Hijack().Close(context.WithoutCancel(ctx))
		return err
	}
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		c.Hijack().Close(context.WithoutCancel(ctx))
		return err
	}
	err = sqlstore.Migrate(ctx, newDB(c), migrations, "migrations")
	_, uerr := c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if uerr == nil {
		_, uerr = c.Exec(context.WithoutCancel(ctx), `RESET lock_timeout`)
	}
	if uerr != nil {
		// Never hand a connection that may still hold the lock back to the
		// pool: closing it ends the session and so releases the lock.
		c.Hijack().Close(context.WithoutCancel(ctx))
		return errors.Join(err, uerr)
	}
	c.Release()
	return err
}

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// classify recognises a busy database (a lock wait timed out, a deadlock
// or serialization failure, too many connections, a server starting or
// unreachable) and a full disk.
func classify(err error) *store.BusyError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "53100": // disk_full
			return &store.BusyError{Reason: "the disk holding the portal's database is full; the provider must free space",
				RetryAfter: 30 * time.Second, DiskFull: true, Err: err}
		case "55P03", "40001", "40P01", "53300", "57P03": // lock_not_available, serialization, deadlock, too many connections, starting
			return &store.BusyError{Reason: "the portal's database is busy (an import may be running); retry in a moment",
				RetryAfter: 2 * time.Second, Err: err}
		}
		return nil
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return &store.BusyError{Reason: "the portal's database is not reachable; retry in a moment", RetryAfter: 5 * time.Second, Err: err}
	}
	return nil
}

// isUnique reports a unique_violation (SQLSTATE 23505).
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
