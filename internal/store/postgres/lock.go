package postgres

import (
	"context"
)

// TryLock tries to take the session advisory lock key on a connection of
// its own, which it keeps while the lock is held: if this process dies or
// loses the connection, PostgreSQL ends the session and the lock is free
// for another instance. alive checks that the session (and so the lock)
// still stands; unlock frees both.
func (db *DB) TryLock(ctx context.Context, key int64) (alive func(context.Context) error, unlock func(), held bool, err error) {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	if err := c.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&held); err != nil || !held {
		c.Release()
		return nil, nil, false, err
	}
	alive = func(ctx context.Context) error {
		_, err := c.Exec(ctx, `SELECT 1`)
		return err
	}
	unlock = func() {
		// Closing the session frees the lock even if the unlock fails.
		c.Hijack().Close(context.Background())
	}
	return alive, unlock, true, nil
}
