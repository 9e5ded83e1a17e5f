package sqlstore

import "context"

// Detached returns db running its statements on contexts that cannot be
// cancelled (context.WithoutCancel: values and no deadline), for pools
// that only run short statements: a page, a row, a small write.
//
// Why: with a cancellable context, database/sql starts a goroutine per
// query to watch it and modernc.org/sqlite one more to interrupt the
// statement. On a server whose core is busy, those wake-ups keep Go's run
// queue from ever emptying, and the network poller, which the scheduler
// consults when the queue is empty (or from sysmon, whose finds are taken
// one per 61 schedules), is left behind: requests that had arrived waited
// up to 250 ms for their connection's goroutine while each was served in
// 0.1 ms (bench/RESULTS.md, "p99"). The cost is that a client that goes
// away no longer interrupts a statement already running; the guard's wait
// for a connection (Guard) still ends with the caller's context.
func Detached(db DB) DB { return detachedDB{db} }

type detachedDB struct{ db DB }

func (d detachedDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return d.db.Query(context.WithoutCancel(ctx), query, args...)
}

func (d detachedDB) QueryRow(ctx context.Context, query string, args ...any) Row {
	return d.db.QueryRow(context.WithoutCancel(ctx), query, args...)
}

func (d detachedDB) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return d.db.Exec(context.WithoutCancel(ctx), query, args...)
}

func (d detachedDB) Begin(ctx context.Context) (Tx, error) {
	tx, err := d.db.Begin(context.WithoutCancel(ctx))
	return detachedTx{tx}, err
}

func (d detachedDB) BeginRead(ctx context.Context) (Tx, error) {
	tx, err := d.db.BeginRead(context.WithoutCancel(ctx))
	return detachedTx{tx}, err
}

type detachedTx struct{ tx Tx }

func (t detachedTx) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return t.tx.Query(context.WithoutCancel(ctx), query, args...)
}

func (t detachedTx) QueryRow(ctx context.Context, query string, args ...any) Row {
	return t.tx.QueryRow(context.WithoutCancel(ctx), query, args...)
}

func (t detachedTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return t.tx.Exec(context.WithoutCancel(ctx), query, args...)
}

func (t detachedTx) Prepare(ctx context.Context, query string) (Stmt, error) {
	return t.tx.Prepare(context.WithoutCancel(ctx), query)
}

func (t detachedTx) Commit(ctx context.Context) error { return t.tx.Commit(context.WithoutCancel(ctx)) }
func (t detachedTx) Rollback(ctx context.Context) error {
	return t.tx.Rollback(context.WithoutCancel(ctx))
}
