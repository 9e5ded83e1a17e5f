package portald

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"
)

func newToken() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Create, list and revoke personal access tokens"}
	cmd.AddCommand(newTokenCreate(), newTokenList(), newTokenRevoke())
	return cmd
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

// parseTTL reads 90d, 720h, 30m or never.
func parseTTL(s string) (time.Duration, error) {
	if s == "never" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--expires %q: use a number of days like 90d, a duration like 720h, or never", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: use a number of days like 90d, a duration like 720h, or never", s)
	}
	return d, nil
}

func newTokenCreate() *cobra.Command {
	var db, username, name, expires string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a token for a portal user (for CI and cron accounts)",
		Long: heredoc.Doc(`
			Create a personal access token for a portal user without their password and
			print it on standard output. It is shown only this once; portald keeps only
			its hash.
		`),
		Example: heredoc.Doc(`
			export PORTALCTL_TOKEN=$(portald token create --db portal.db --username ben --name nightly-export)
		`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if username == "" {
				return usageError{errors.New("--username is required")}
			}
			ttl, err := parseTTL(expires)
			if err != nil {
				return usageError{err}
			}
			return withDB(cmd, db, func(st database) error {
				tok, err := portal.New(st, portal.Options{}).CreateToken(cmd.Context(), username, name, ttl)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), tok.Token)
				return nil
			})
		},
	}
	dbFlag(cmd, &db)
	cmd.Flags().StringVar(&username, "username", "", "portal user the token acts as")
	cmd.Flags().StringVar(&name, "name", "cli", "a name to recognise the token by")
	cmd.Flags().StringVar(&expires, "expires", "90d", "lifetime: days (90d), a duration (720h) or never")
	return cmd
}

func newTokenList() *cobra.Command {
	var db, username string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List a user's live tokens",
		Example: "  portald token list --db portal.db --username ben",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if username == "" {
				return usageError{errors.New("--username is required")}
			}
			return withDB(cmd, db, func(st database) error {
				c, err := st.ContactByUsername(cmd.Context(), username)
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no portal user %q", username)
				} else if err != nil {
					return err
				}
				toks, err := st.Tokens(cmd.Context(), c.ID)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tCREATED\tEXPIRES\tLAST USED")
				for _, t := range toks {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.RFC3339), orNever(t.ExpiresAt), orNever(t.LastUsedAt))
				}
				return tw.Flush()
			})
		},
	}
	dbFlag(cmd, &db)
	cmd.Flags().StringVar(&username, "username", "", "portal user")
	return cmd
}

func orNever(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}

func newTokenRevoke() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:     "revoke ID",
		Short:   "Revoke a token by id (takes effect on its next request)",
		Example: "  portald token revoke --db portal.db 12",
		Args:    exactArgs(1, "a token id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("token id %q is not a number", args[0])}
			}
			return withDB(cmd, db, func(st database) error {
				return st.RevokeTokenByID(cmd.Context(), id, time.Now())
			})
		},
	}
	dbFlag(cmd, &db)
	return cmd
}

func newUser() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage portal users' logins"}
	var db, username string
	var stdin bool
	set := &cobra.Command{
		Use:   "set-password",
		Short: "Set a portal user's password and revoke their tokens",
		Long: heredoc.Doc(`
			Read a new password without echo from the terminal, or from standard input with
			--password-stdin, and store its bcrypt hash.

			Every token of the user is revoked at the same time (their portalctl logins and
			any token made with portald token create): after a reset, say for a suspected
			compromise, nothing issued before it works. The user logs in again with the new
			password; CI tokens must be created again.
		`),
		Example: heredoc.Doc(`
			portald user set-password --db portal.db --username ben
			printf '%s' "$PW" | portald user set-password --db portal.db --username ben --password-stdin
		`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if username == "" {
				return usageError{errors.New("--username is required")}
			}
			hash, err := newPasswordHash(cmd, stdin)
			if err != nil {
				return err
			}
			return withDB(cmd, db, func(st database) error {
				c, err := st.ContactByUsername(cmd.Context(), username)
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no portal user %q", username)
				} else if err != nil {
					return err
				}
				revoked, err := st.ResetPassword(cmd.Context(), c.ID, hash, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "password of %s updated; %d token(s) revoked\n", c.Username, revoked)
				return nil
			})
		},
	}
	dbFlag(set, &db)
	set.Flags().StringVar(&username, "username", "", "portal user")
	set.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	cmd.AddCommand(set, newUserLink())
	return cmd
}

// newPasswordHash reads a new password (see readPassword), refuses one
// shorter than 8 characters, and returns its bcrypt hash.
func newPasswordHash(cmd *cobra.Command, fromStdin bool) (string, error) {
	pw, err := readPassword(cmd, fromStdin)
	if err != nil {
		return "", err
	}
	if len(pw) < 8 {
		return "", errors.New("the password must have at least 8 characters")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(hash), err
}

func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New("no password on standard input")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	if f, ok := cmd.InOrStdin().(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageError{errors.New("standard input is not a terminal: pass --password-stdin to read the password from it")}
	}
	fmt.Fprint(cmd.ErrOrStderr(), "New password: ")
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(cmd.ErrOrStderr())
	return string(b), err
}
