package pgtest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// TestDatabasesAreSeparate: each test database is empty and its own.
func TestDatabasesAreSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := NewDatabase(t), NewDatabase(t)
	if a == b {
		t.Fatalf("two tests got the same database %s", a)
	}
	connA, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer connA.Close(ctx)
	if _, err := connA.Exec(ctx, `CREATE TABLE only_in_a (id int)`); err != nil {
		t.Fatal(err)
	}
	connB, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer connB.Close(ctx)
	var n int
	if err := connB.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("table of database a visible in b: %d %v", n, err)
	}
	var version string
	if err := connA.QueryRow(ctx, `SHOW server_version`).Scan(&version); err != nil || version == "" {
		t.Fatalf("server version: %q %v", version, err)
	}
}

func TestUnavailable(t *testing.T) {
	err := errors.New("no initdb")
	tests := []struct {
		noSkip   bool
		wantSkip bool
		wantIn   string
	}{
		{false, true, "Debian package postgresql"},
		{true, false, NoSkipEnv + " is set"},
	}
	for _, tt := range tests {
		skip, msg := unavailable(err, tt.noSkip)
		if skip != tt.wantSkip || !strings.Contains(msg, tt.wantIn) || !strings.Contains(msg, "no initdb") {
			t.Errorf("noSkip=%v: skip=%v %q", tt.noSkip, skip, msg)
		}
	}
}
