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

// TestDatabasesFromATemplate: fill runs once; every database made from the
// template starts with its content and is then on its own.
func TestDatabasesFromATemplate(t *testing.T) {
	ctx := context.Background()
	fills := 0
	fill := func(url string) error {
		fills++
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, `CREATE TABLE seeded (id int); INSERT INTO seeded VALUES (1), (2)`)
		return err
	}
	var urls []string
	for range 3 {
		urls = append(urls, NewDatabaseFrom(t, "seeded", fill))
	}
	if fills != 1 {
		t.Errorf("fill ran %d times, want once", fills)
	}
	for i, url := range urls {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if i == 0 {
			if _, err := conn.Exec(ctx, `INSERT INTO seeded VALUES (3)`); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM seeded`).Scan(&n); err != nil || n != 2+btoi(i == 0) {
			t.Errorf("database %d: %d rows %v, want the template's 2 (plus its own)", i, n, err)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
