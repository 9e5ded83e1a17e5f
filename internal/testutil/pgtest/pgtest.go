// Package pgtest starts a real PostgreSQL server for a test binary: initdb
// into a fresh temporary directory, a free loopback port, the unix socket in
// that directory, started on first use, stopped and removed by Main. Each
// test gets its own empty database on it.
//
// Use it from a package's TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// (or code := pgtest.Run(m) when TestMain has more to clean up), then:
//
//	func TestX(t *testing.T) { url := pgtest.NewDatabase(t); ... }
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// NoSkipEnv, when set (CI sets it), turns "PostgreSQL is not installed" from
// a skip into a failure, so CI can never pass without running these tests.
const NoSkipEnv = "PORTALCTL_TEST_NO_SKIP"

var (
	mainCalled atomic.Bool
	once       sync.Once
	shared     *server
	startErr   error
	dbSeq      atomic.Int64
)

// Main runs the package's tests, stops the server if one was started
// (removing its directory) and exits. Call it from TestMain.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit: it returns m.Run's exit code.
func Run(m *testing.M) int {
	mainCalled.Store(true)
	code := m.Run()
	if shared != nil {
		if err := shared.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// NewDatabase returns the URL of a new, empty database on the test binary's
// server, starting the server on first use. The database is dropped when the
// test ends. Without PostgreSQL binaries the test is skipped (failed when
// PORTALCTL_TEST_NO_SKIP is set).
func NewDatabase(t testing.TB) string {
	t.Helper()
	return createDatabase(t, "")
}

// running returns the test binary's server, starting it on first use.
// Without PostgreSQL binaries the test is skipped (failed when
// PORTALCTL_TEST_NO_SKIP is set).
func running(t testing.TB) *server {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("pgtest: call pgtest.Main(m) (or pgtest.Run) from the package's TestMain so the server is stopped afterwards")
	}
	bin, err := findBinaries()
	if err != nil {
		if skip, msg := unavailable(err, os.Getenv(NoSkipEnv) != ""); skip {
			t.Skip(msg)
		} else {
			t.Fatal(msg)
		}
	}
	once.Do(func() { shared, startErr = start(bin) })
	if startErr != nil {
		t.Fatalf("pgtest: cannot start PostgreSQL: %v", startErr)
	}
	return shared
}

// createDatabase makes a new database on the server, a copy of template
// when it is set, and drops it when the test ends.
func createDatabase(t testing.TB, template string) string {
	t.Helper()
	srv := running(t)
	name := fmt.Sprintf("t_%d", dbSeq.Add(1))
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if err := srv.admin(context.Background(), create); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		// Cleanups run last-registered first, so the test's own pools are
		// closed by now; FORCE ends any connection a test leaked.
		if err := srv.admin(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return srv.url(name)
}

// unavailable decides what a test does when PostgreSQL is not installed.
func unavailable(err error, noSkip bool) (skip bool, msg string) {
	msg = "PostgreSQL tests need the server binaries (Debian package postgresql): " + err.Error()
	if noSkip {
		return false, msg + " (" + NoSkipEnv + " is set, so this is a failure, not a skip)"
	}
	return true, msg
}

// findBinaries returns the directory holding initdb and postgres: the newest
// /usr/lib/postgresql/*/bin (Debian), else the one on PATH.
func findBinaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && isExecutable(filepath.Join(filepath.Dir(p), "postgres")) {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no initdb in /usr/lib/postgresql/*/bin or on PATH")
}

// versionOf sorts /usr/lib/postgresql/<major>/bin by major version number.
func versionOf(dir string) int {
	var v int
	fmt.Sscan(filepath.Base(filepath.Dir(dir)), &v)
	return v
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// admin runs one statement as the superuser on the maintenance database.
func (s *server) admin(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.url("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(sql)[0]+" "+strings.Fields(sql)[1], err)
	}
	return nil
}
