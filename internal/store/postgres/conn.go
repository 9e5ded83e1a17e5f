package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// pgxConn is what a pgx pool, pooled connection and transaction share.
type pgxConn interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// conn adapts pgx to sqlstore.Conn, rewriting ? placeholders as $n. A
// statement without arguments is sent as is (and may hold several
// statements: migrations).
type conn struct{ c pgxConn }

func rebind(query string, args []any) string {
	if len(args) == 0 {
		return query
	}
	return sqlstore.Rebind(query)
}

func (c conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	// pgx.Rows streams: rows are read from the connection as the caller
	// asks for them, so a large result never sits in memory.
	return c.c.Query(ctx, rebind(query, args), args...)
}

func (c conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return row{c.c.QueryRow(ctx, rebind(query, args), args...)}
}

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.c.Exec(ctx, rebind(query, args), args...)
	return tag.RowsAffected(), err
}

// row maps pgx.ErrNoRows to store.ErrNotFound.
type row struct{ r pgx.Row }

func (r row) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// beginner is a pool or a pooled connection.
type beginner interface {
	pgxConn
	Begin(ctx context.Context) (pgx.Tx, error)
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// db adapts a pgx pool (or one of its connections) to sqlstore.DB.
type db struct {
	conn
	b beginner
}

func newDB(b beginner) db { return db{conn{b}, b} }

func (d db) Begin(ctx context.Context) (sqlstore.Tx, error) {
	t, err := d.b.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx{conn{t}, t}, nil
}

// BeginRead starts a REPEATABLE READ READ ONLY transaction: every query
// in it sees the snapshot of its first.
func (d db) BeginRead(ctx context.Context) (sqlstore.Tx, error) {
	t, err := d.b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	return tx{conn{t}, t}, nil
}

type tx struct {
	conn
	t pgx.Tx
}

func (t tx) Commit(ctx context.Context) error   { return t.t.Commit(ctx) }
func (t tx) Rollback(ctx context.Context) error { return t.t.Rollback(ctx) }

// Prepare needs no round trip: pgx prepares and caches every statement it
// runs on a connection, so repeating the same SQL reuses the plan.
func (t tx) Prepare(_ context.Context, query string) (sqlstore.Stmt, error) {
	return stmt{t.conn, query}, nil
}

type stmt struct {
	c     conn
	query string
}

func (s stmt) Exec(ctx context.Context, args ...any) error {
	_, err := s.c.Exec(ctx, s.query, args...)
	return err
}

func (stmt) Close() {}
