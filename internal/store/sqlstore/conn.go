// Package sqlstore is the SQL both relational stores run: internal/store/sqlite
// and internal/store/postgres differ only in how they connect, their schema
// migrations and a small Dialect; every query, filter, keyset page and scan
// lives here once.
//
// Queries are written with ? placeholders; a PostgreSQL connection rewrites
// them to $1, $2, … (see Rebind). Values cross the boundary as types both
// drivers accept: timestamps as RFC 3339 UTC text (PostgreSQL parses it into
// timestamptz), dates as YYYY-MM-DD text, hours as integer hundredths,
// booleans as bool.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
)

// Row is one result row. Scan returns store.ErrNotFound when there is none.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a streamed result set.
type Rows interface {
	Row
	Next() bool
	Err() error
	Close()
}

// Conn runs statements: a pool, one connection or a transaction.
type Conn interface {
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Exec returns the number of rows changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
}

// Stmt is a statement prepared once and run many times (imports).
type Stmt interface {
	Exec(ctx context.Context, args ...any) error
	Close()
}

// Tx is a transaction.
type Tx interface {
	Conn
	Prepare(ctx context.Context, query string) (Stmt, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// DB is a connection pool that can begin transactions.
type DB interface {
	Conn
	Begin(ctx context.Context) (Tx, error)
	// BeginRead starts a read-only transaction all of whose reads see one
	// snapshot (SQLite: a deferred transaction; PostgreSQL: REPEATABLE READ).
	BeginRead(ctx context.Context) (Tx, error)
}

// Rebind rewrites ? placeholders as $1, $2, … for PostgreSQL. The queries of
// this package never hold a ? inside a string literal.
func Rebind(query string) string {
	n := strings.Count(query, "?")
	if n == 0 {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 2*n)
	i := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if strings.HasSuffix(part, "?") {
			i++
			b.WriteString(part[:len(part)-1] + "$" + strconv.Itoa(i))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}

// FromSQL adapts a database/sql pool (the SQLite driver) to DB.
func FromSQL(db *sql.DB) DB { return sqlDB{sqlConn{newStmtCache(db)}, db} }

// sqlQuerier is what *sql.DB and *sql.Tx share.
type sqlQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type sqlConn struct{ q sqlQuerier }

func (c sqlConn) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (c sqlConn) QueryRow(ctx context.Context, query string, args ...any) Row {
	return sqlRow{c.q.QueryRowContext(ctx, query, args...)}
}

func (c sqlConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type sqlDB struct {
	sqlConn
	db *sql.DB
}

func (d sqlDB) Begin(ctx context.Context) (Tx, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return sqlTx{sqlConn{tx}, tx}, nil
}

// BeginRead: the driver starts a read-only transaction with a plain
// (deferred) BEGIN, whatever _txlock says, so readers never take the
// write lock; its snapshot is taken at its first read.
func (d sqlDB) BeginRead(ctx context.Context) (Tx, error) {
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return sqlTx{sqlConn{tx}, tx}, nil
}

type sqlTx struct {
	sqlConn
	tx *sql.Tx
}

func (t sqlTx) Prepare(ctx context.Context, query string) (Stmt, error) {
	st, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return sqlStmt{st}, nil
}

type sqlStmt struct{ st *sql.Stmt }

func (s sqlStmt) Exec(ctx context.Context, args ...any) error {
	_, err := s.st.ExecContext(ctx, args...)
	return err
}

func (s sqlStmt) Close() { s.st.Close() }

func (t sqlTx) Commit(context.Context) error   { return t.tx.Commit() }
func (t sqlTx) Rollback(context.Context) error { return t.tx.Rollback() }

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

type sqlRow struct{ row *sql.Row }

func (r sqlRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}
