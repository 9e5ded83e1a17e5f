package sqlstore

import "context"

// Detached returns db checking its caller's context between statements
// instead of watching it during them: a statement does not start once the
// context is done, and a transaction whose context is done rolls back
// instead of committing (as database/sql does), but a statement already
// running is not interrupted. For pools whose statements are short: a
// page, a row, a write, one step of an import.
//
// Why: to watch a cancellable context, database/sql starts a goroutine per
// query and modernc.org/sqlite one more per statement. On a server whose
// core is busy, those wake-ups keep Go's run queue from ever emptying, and
// the network poller, which the scheduler consults when the queue is empty
// (or from sysmon, whose finds are taken one per 61 schedules), is left
// behind: requests that had arrived waited up to 250 ms for their
// connection's goroutine while each was served in 0.1 ms (bench/RESULTS.md,
// "p99"). Statements here run on context.WithoutCancel of their context,
// whose Done is nil, so neither starts one.
func Detached(db DB) DB { return detachedDB{detachedConn{db, context.Background()}, db} }

// detachedConn runs c's statements detached. parent, when it is done,
// ends them as well: a transaction's context.
type detachedConn struct {
	c      Conn
	parent context.Context
}

// done is the error of the parent context or of the statement's.
func (d detachedConn) done(ctx context.Context) error {
	if err := d.parent.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

func (d detachedConn) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	if err := d.done(ctx); err != nil {
		return nil, err
	}
	return d.c.Query(context.WithoutCancel(ctx), query, args...)
}

func (d detachedConn) QueryRow(ctx context.Context, query string, args ...any) Row {
	if err := d.done(ctx); err != nil {
		return errRow{err}
	}
	return d.c.QueryRow(context.WithoutCancel(ctx), query, args...)
}

func (d detachedConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if err := d.done(ctx); err != nil {
		return 0, err
	}
	return d.c.Exec(context.WithoutCancel(ctx), query, args...)
}

type detachedDB struct {
	detachedConn
	db DB
}

func (d detachedDB) Begin(ctx context.Context) (Tx, error) { return d.begin(ctx, d.db.Begin) }

func (d detachedDB) BeginRead(ctx context.Context) (Tx, error) { return d.begin(ctx, d.db.BeginRead) }

func (d detachedDB) begin(ctx context.Context, begin func(context.Context) (Tx, error)) (Tx, error) {
	if err := d.done(ctx); err != nil {
		return nil, err
	}
	tx, err := begin(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	return detachedTx{detachedConn{tx, ctx}, tx}, nil
}

// detachedTx is a transaction that ends with its context (the one it began
// with): no statement starts after, and Commit rolls back.
type detachedTx struct {
	detachedConn
	tx Tx
}

func (t detachedTx) Prepare(ctx context.Context, query string) (Stmt, error) {
	if err := t.done(ctx); err != nil {
		return nil, err
	}
	st, err := t.tx.Prepare(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil, err
	}
	return detachedStmt{st: st, tx: t}, nil
}

func (t detachedTx) Commit(ctx context.Context) error {
	if err := t.done(ctx); err != nil {
		t.tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return t.tx.Commit(context.WithoutCancel(ctx))
}

func (t detachedTx) Rollback(ctx context.Context) error {
	return t.tx.Rollback(context.WithoutCancel(ctx))
}

type detachedStmt struct {
	st Stmt
	tx detachedTx
}

func (s detachedStmt) Exec(ctx context.Context, args ...any) error {
	if err := s.tx.done(ctx); err != nil {
		return err
	}
	return s.st.Exec(context.WithoutCancel(ctx), args...)
}

func (s detachedStmt) Close() { s.st.Close() }
