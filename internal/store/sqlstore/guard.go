package sqlstore

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// Limits bound how a pool is used (see Guard).
type Limits struct {
	// Slots is how many operations run at once: at most the pool's
	// connections, so an operation that has a slot never queues inside
	// the driver.
	Slots int
	// Wait is the longest an operation waits for a slot before it fails
	// with *store.BusyError (503 unavailable with Retry-After).
	Wait time.Duration
}

// busyRetry is the Retry-After of a request that found the database busy.
const busyRetry = time.Second

// Guard returns db with at most l.Slots operations running at once, each
// waiting at most l.Wait for its turn. A query holds its slot until its rows
// are closed, a transaction until it ends. Driver errors that classify (the
// dialect's Classify) recognises as busy or full come back as
// *store.BusyError; a full disk is reported to h, a successful write too
// (h may be nil).
func Guard(db DB, l Limits, classify func(error) *store.BusyError, h *Health) DB {
	return &guardDB{db: db, slots: make(chan struct{}, l.Slots), wait: l.Wait, classify: classify, health: h}
}

type guardDB struct {
	db       DB
	slots    chan struct{}
	wait     time.Duration
	classify func(error) *store.BusyError
	health   *Health
}

// acquire takes a slot and returns its release (safe to call twice).
func (g *guardDB) acquire(ctx context.Context) (func(), error) {
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return nil, &store.BusyError{Reason: "the portal's database is busy; retry in a moment", RetryAfter: busyRetry}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			<-g.slots
		}
	}, nil
}

// check classifies a driver error, noting a full disk.
func (g *guardDB) check(err error) error {
	if err == nil || g.classify == nil {
		return err
	}
	var be *store.BusyError
	if errors.As(err, &be) {
		return err // already classified (a slot wait, a wrapped store error)
	}
	if be = g.classify(err); be == nil {
		return err
	}
	if be.DiskFull {
		g.health.markFull()
	}
	return be
}

func (g *guardDB) wrote() { g.health.wrote() }

func (g *guardDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	release, err := g.acquire(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := g.db.Query(ctx, query, args...)
	if err != nil {
		release()
		return nil, g.check(err)
	}
	return &guardRows{Rows: rows, g: g, release: release}, nil
}

func (g *guardDB) QueryRow(ctx context.Context, query string, args ...any) Row {
	release, err := g.acquire(ctx)
	if err != nil {
		return errRow{err}
	}
	return guardRow{row: g.db.QueryRow(ctx, query, args...), g: g, release: release}
}

func (g *guardDB) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	release, err := g.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	n, err := g.db.Exec(ctx, query, args...)
	if err == nil {
		g.wrote()
	}
	return n, g.check(err)
}

func (g *guardDB) Begin(ctx context.Context) (Tx, error) {
	release, err := g.acquire(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := g.db.Begin(ctx)
	if err != nil {
		release()
		return nil, g.check(err)
	}
	return &guardTx{tx: tx, g: g, release: release}, nil
}

// BeginRead is Begin for a read-only transaction (one snapshot).
func (g *guardDB) BeginRead(ctx context.Context) (Tx, error) {
	release, err := g.acquire(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := g.db.BeginRead(ctx)
	if err != nil {
		release()
		return nil, g.check(err)
	}
	return &guardTx{tx: tx, g: g, release: release, readOnly: true}, nil
}

type guardRows struct {
	Rows
	g       *guardDB
	release func()
}

func (r *guardRows) Scan(dest ...any) error { return r.g.check(r.Rows.Scan(dest...)) }
func (r *guardRows) Err() error             { return r.g.check(r.Rows.Err()) }

func (r *guardRows) Close() {
	r.Rows.Close()
	r.release()
}

type guardRow struct {
	row     Row
	g       *guardDB
	release func()
}

func (r guardRow) Scan(dest ...any) error {
	defer r.release()
	return r.g.check(r.row.Scan(dest...))
}

// errRow is a row whose query could not start.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// guardTx classifies a transaction's errors; it holds its slot until it
// ends.
type guardTx struct {
	tx       Tx
	g        *guardDB
	release  func()
	readOnly bool // its commit is no sign that writes work again
}

func (t *guardTx) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, t.g.check(err)
	}
	return &guardRows{Rows: rows, g: t.g, release: func() {}}, nil
}

func (t *guardTx) QueryRow(ctx context.Context, query string, args ...any) Row {
	return guardRow{row: t.tx.QueryRow(ctx, query, args...), g: t.g, release: func() {}}
}

func (t *guardTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	n, err := t.tx.Exec(ctx, query, args...)
	return n, t.g.check(err)
}

func (t *guardTx) Prepare(ctx context.Context, query string) (Stmt, error) {
	st, err := t.tx.Prepare(ctx, query)
	if err != nil {
		return nil, t.g.check(err)
	}
	return guardStmt{st, t.g}, nil
}

func (t *guardTx) Commit(ctx context.Context) error {
	defer t.release()
	err := t.tx.Commit(ctx)
	if err == nil && !t.readOnly {
		t.g.wrote()
	}
	return t.g.check(err)
}

func (t *guardTx) Rollback(ctx context.Context) error {
	defer t.release()
	return t.tx.Rollback(ctx)
}

type guardStmt struct {
	st Stmt
	g  *guardDB
}

func (s guardStmt) Exec(ctx context.Context, args ...any) error {
	return s.g.check(s.st.Exec(ctx, args...))
}
func (s guardStmt) Close() { s.st.Close() }

// Split sends the queries of requests marked store.Streaming to streams and
// every other query to short: a slow client's export can take only the
// connections meant for exports, never those that authentication and short
// requests need.
func Split(short, streams DB) DB { return splitDB{short, streams} }

type splitDB struct{ short, streams DB }

func (s splitDB) pick(ctx context.Context) DB {
	if store.IsStreaming(ctx) {
		return s.streams
	}
	return s.short
}

func (s splitDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return s.pick(ctx).Query(ctx, query, args...)
}

func (s splitDB) BeginRead(ctx context.Context) (Tx, error) { return s.pick(ctx).BeginRead(ctx) }

func (s splitDB) QueryRow(ctx context.Context, query string, args ...any) Row {
	return s.pick(ctx).QueryRow(ctx, query, args...)
}

func (s splitDB) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return s.pick(ctx).Exec(ctx, query, args...)
}

func (s splitDB) Begin(ctx context.Context) (Tx, error) { return s.pick(ctx).Begin(ctx) }

// Health remembers that the database's disk was found full, so that the
// portal reports not-ready until space returns (Store.Ping).
type Health struct {
	full atomic.Bool
	// hasSpace, when set, tells whether the disk has room again (SQLite
	// looks at its file system); without it the next successful write
	// clears the state (PostgreSQL's disk is not ours to look at).
	hasSpace func() bool
}

// NewHealth returns a Health; hasSpace may be nil (see Health).
func NewHealth(hasSpace func() bool) *Health { return &Health{hasSpace: hasSpace} }

func (h *Health) markFull() {
	if h != nil {
		h.full.Store(true)
	}
}

func (h *Health) wrote() {
	if h != nil && h.hasSpace == nil && h.full.Load() {
		h.full.Store(false)
	}
}

// check fails while the disk is full.
func (h *Health) check() error {
	if h == nil || !h.full.Load() {
		return nil
	}
	if h.hasSpace != nil && h.hasSpace() {
		h.full.Store(false)
		return nil
	}
	return errDiskFull
}

var errDiskFull = &store.BusyError{Reason: "the disk holding the portal's database is full; the provider must free space",
	RetryAfter: 30 * time.Second, DiskFull: true}
