package sqlite

import (
	"database/sql"
	"reflect"
	"sync"
	"unsafe"

	"modernc.org/libc"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// driverName is the driver the store's pools open their connections with:
// modernc's, with dropConnMutex as its connection hook. A driver of our own
// keeps the hook off every other "sqlite" connection in the process.
const driverName = "portalctl-sqlite"

var registerDriver sync.Once

func openPool(dsn string) (*sql.DB, error) {
	registerDriver.Do(func() {
		d := &sqlite.Driver{}
		d.RegisterConnectionHook(dropConnMutex)
		sql.Register(driverName, d)
	})
	return sql.Open(driverName, dsn)
}

// dropConnMutex turns a connection SQLite opened SQLITE_OPEN_FULLMUTEX into
// one opened SQLITE_OPEN_NOMUTEX. modernc opens every connection
// FULLMUTEX and has no option to do otherwise, so SQLite enters and leaves
// the connection's recursive mutex on every call, each column read
// included: in modernc those are Go atomics and a sync.Mutex, a fifth of
// the CPU of serving a page of projects. The mutex guards nothing here:
// database/sql never uses a connection from two goroutines at once, which
// is what SQLite's multi-thread mode asks, and modernc itself relies on it
// (its per-connection state is unguarded; sqlite3_interrupt, its one call
// from another goroutine, takes no mutex). With NOMUTEX, SQLite leaves the
// connection's mutex NULL and every enter and leave of it is a no-op, so
// clearing the field after the open is exactly that mode; the process-wide
// mutexes (memory, page cache, files) are untouched.
//
// The handle is modernc's unexported conn.db. When it cannot be found (a
// driver release that renamed it), the connection keeps its mutex: slower,
// never wrong. TestConnectionsRunWithoutMutex fails then, so the change is
// seen when the driver is upgraded.
func dropConnMutex(conn sqlite.ExecQuerierContext, _ string) error {
	db := connHandle(conn)
	if db == 0 {
		return nil
	}
	tls := libc.NewTLS()
	defer tls.Close()
	mu := sqlite3.Xsqlite3_db_mutex(tls, db)
	if mu == 0 {
		return nil
	}
	// Nothing holds it: sqlite3_open_v2 has returned and the connection is
	// not yet in the pool.
	field := unsafe.Offsetof(sqlite3.Tsqlite3{}.Fmutex)
	libc.Xmemset(tls, db+field, 0, libc.Tsize_t(unsafe.Sizeof(mu)))
	sqlite3.Xsqlite3_mutex_free(tls, mu)
	return nil
}

// connHandle is the sqlite3* of a modernc connection, 0 if not found.
func connHandle(conn any) uintptr {
	v := reflect.ValueOf(conn)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return 0
	}
	f := v.Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Uintptr {
		return 0
	}
	return uintptr(f.Uint())
}
