package autotask

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Exactly one instance syncs a database at a time. On PostgreSQL it holds
// a session advisory lock (syncLockKey) for as long as it runs: when it
// dies PostgreSQL frees the lock and another instance, trying every
// interval, takes over within one. On SQLite (one file, normally one
// process) a lease row with an expiry of three intervals does the same.

// syncLockKey is the advisory lock of the Autotask sync ("atsync" in ASCII).
const syncLockKey int64 = 0x617473796e63

// locker is a database with session advisory locks (*postgres.DB).
type locker interface {
	TryLock(ctx context.Context, key int64) (alive func(context.Context) error, unlock func(), held bool, err error)
}

type lease interface {
	// hold takes or keeps the lease; false when another instance has it.
	hold(ctx context.Context) (bool, error)
	release()
}

func (y *Syncer) lease() lease {
	if l, ok := y.db.(locker); ok {
		return &lockLease{l: l}
	}
	b := make([]byte, 8)
	rand.Read(b)
	return &rowLease{y: y, holder: hex.EncodeToString(b)}
}

type lockLease struct {
	l      locker
	alive  func(context.Context) error
	unlock func()
}

func (l *lockLease) hold(ctx context.Context) (bool, error) {
	if l.alive != nil {
		if err := l.alive(ctx); err == nil {
			return true, nil
		}
		l.release() // the session is gone, and the lock with it
	}
	alive, unlock, held, err := l.l.TryLock(ctx, syncLockKey)
	if held {
		l.alive, l.unlock = alive, unlock
	}
	return held, err
}

func (l *lockLease) release() {
	if l.unlock != nil {
		l.unlock()
	}
	l.alive, l.unlock = nil, nil
}

// rowLease is "holder expiry-unix-ms" under the key lease.
type rowLease struct {
	y      *Syncer
	holder string
}

const keyLease = "lease"

func (l *rowLease) hold(ctx context.Context) (bool, error) {
	state, err := l.y.db.SyncState(ctx)
	if err != nil {
		return false, err
	}
	old := state[keyLease]
	now := l.y.now()
	if who, until, ok := strings.Cut(old, " "); ok && who != l.holder {
		if ms, _ := strconv.ParseInt(until, 10, 64); now.Before(time.UnixMilli(ms)) {
			return false, nil
		}
	}
	next := l.holder + " " + strconv.FormatInt(now.Add(3*l.y.o.Interval).UnixMilli(), 10)
	return l.y.db.CompareAndSetSyncState(ctx, keyLease, old, next)
}

func (l *rowLease) release() {
	state, err := l.y.db.SyncState(context.Background())
	if old := state[keyLease]; err == nil && strings.HasPrefix(old, l.holder+" ") {
		l.y.db.CompareAndSetSyncState(context.Background(), keyLease, old, l.holder+" 0")
	}
}
