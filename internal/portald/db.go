package portald

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/spf13/cobra"
)

// database is what portald's commands need of the database they open:
// SQLite (*sqlite.DB) or PostgreSQL (*postgres.DB). serve runs the portal
// on its Stores; the other commands use a few records directly.
type database interface {
	Stores() store.Stores
	dataset.Importer
	IsEmpty(ctx context.Context) (bool, error)
	ContactByUsername(ctx context.Context, username string) (store.Contact, error)
	ResetPassword(ctx context.Context, contactID int64, hash string, at time.Time) (int64, error)
	SecurityLevelPermissions(ctx context.Context, name string) ([]string, error)
	Tokens(ctx context.Context, contactID int64) ([]store.TokenRecord, error)
	RevokeTokenByID(ctx context.Context, tokenID int64, at time.Time) error
	Emails(ctx context.Context, status string, each func(store.Email) error) error
	Email(ctx context.Context, id int64) (store.Email, error)
	UpdateEmail(ctx context.Context, e store.Email) error
	Close() error
}

var (
	_ database = (*sqlite.DB)(nil)
	_ database = (*postgres.DB)(nil)
)

// dbFlag adds --db to a command.
func dbFlag(cmd *cobra.Command, db *string) {
	cmd.Flags().StringVar(db, "db", "portald.db", "SQLite database file, or a postgres://user:password@host/dbname URL (PostgreSQL)")
}

// isPostgres reports whether --db names a PostgreSQL database (a URL)
// rather than a SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openDB opens the store --db names, saying which one failed.
func openDB(ctx context.Context, db string) (database, error) {
	var st database
	var err error
	if isPostgres(db) {
		st, err = postgres.Open(ctx, db)
	} else {
		st, err = sqlite.Open(ctx, db)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", dbName(db), err)
	}
	return st, nil
}

// dbName is --db as it may be printed: a URL loses its password.
func dbName(db string) string {
	if !isPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "the --db URL" // unparsable: do not echo what may hold a password
	}
	return u.Redacted()
}

// withDB runs fn with the database of the --db flag.
func withDB(cmd *cobra.Command, path string, fn func(database) error) error {
	st, err := openDB(cmd.Context(), path)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}
