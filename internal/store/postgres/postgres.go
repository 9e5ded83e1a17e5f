// Package postgres implements store.Store and store.Importer on PostgreSQL
// (pgx v5 connection pool), so any number of portald instances can share one
// database. The queries are internal/store/sqlstore's, shared with SQLite;
// this package connects, migrates and supplies the PostgreSQL dialect.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
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
	_ store.Store    = (*DB)(nil)
	_ store.Importer = (*DB)(nil)
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
		Month:            "to_char(%s, 'YYYY-MM')",
	}
	for _, t := range identities {
		d.AfterImport = append(d.AfterImport, fmt.Sprintf(
			`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM %[1]s), false)`, t))
	}
	// Fresh statistics, or the planner takes a just-imported table for empty
	// and sorts all of it instead of walking an index (100x slower pages).
	d.AfterImport = append(d.AfterImport, "ANALYZE")
	return d
}

// Open connects to the database at url (postgres://user:pass@host:port/db?…;
// pgxpool options such as pool_max_conns may be added) and applies pending
// migrations, holding an advisory lock so that instances starting together
// migrate one after the other.
func Open(ctx context.Context, url string) (*DB, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	d := newDB(pool)
	return &DB{Store: sqlstore.New(d, d, dialect()), pool: pool}, nil
}

// migrate runs the migrations on one connection holding the advisory lock.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		c.Release()
		return err
	}
	err = sqlstore.Migrate(ctx, newDB(c), migrations, "migrations")
	if _, uerr := c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock); uerr != nil {
		// Never hand a connection that may still hold the lock back to the
		// pool: closing it ends the session and so releases the lock.
		c.Hijack().Close(context.WithoutCancel(ctx))
		return errors.Join(err, uerr)
	}
	c.Release()
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// isUnique reports a unique_violation (SQLSTATE 23505).
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
