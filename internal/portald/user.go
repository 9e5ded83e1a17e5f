package portald

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"
)

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
