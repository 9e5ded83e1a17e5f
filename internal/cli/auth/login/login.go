// Package login implements `portalctl auth login`.
package login

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// Options are everything loginRun needs.
type Options struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.Config, error)
	Keyring   keyring.Store
	Getenv    func(string) string
	NewClient func(host, token string) (*client.Client, error)

	Username        string
	Email           string
	PasswordStdin   bool
	WithToken       bool
	InsecureStorage bool
	TokenName       string
}

// NewCmdLogin builds the command; runF replaces loginRun in flag tests.
func NewCmdLogin(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config, Keyring: f.Keyring, Getenv: f.Getenv,
		NewClient: func(host, token string) (*client.Client, error) {
			return f.ClientFor(host, token)
		}}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to a portal and store the token",
		Long: heredoc.Doc(`
			Sign in with your portal username and password, or hand over an existing
			token with --with-token. The token is checked against the portal, then
			stored in the system keyring under "portalctl:<host>".

			When no keyring is available (a headless server), login fails and says so:
			set PORTALCTL_TOKEN instead, or pass --insecure-storage to keep the token in
			the config file (mode 0600). portalctl never falls back to plain text silently.

			The password is read from the terminal without echo, or from stdin with
			--password-stdin.

			Without a password: --email ADDRESS asks the portal to send a one-time code to
			that address (your own, as the portal knows it); type the code when asked, or
			pipe it in with --password-stdin. A code works once, for 10 minutes.

			A plain http:// address other than this machine (localhost, 127.0.0.1, ::1)
			gets a warning before anything is sent: the password and the token would cross
			the network unencrypted. Use https://.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth login --host https://portal.example.com --username jdoe
			$ echo "$PASSWORD" | portalctl auth login --host portal.example.com --username jdoe --password-stdin
			$ portalctl auth login --host portal.example.com --with-token < token.txt
			$ portalctl auth login --host portal.example.com --email jdoe@example.com
			$ portalctl auth login --profile staging --host https://staging.example.com
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.MutuallyExclusive("specify only one of --with-token and --password-stdin",
				opts.WithToken, opts.PasswordStdin); err != nil {
				return err
			}
			if opts.WithToken && opts.Username != "" {
				return cmdutil.FlagErrorf("--username cannot be used with --with-token: the token identifies the user")
			}
			if opts.Email != "" && (opts.Username != "" || opts.WithToken) {
				return cmdutil.FlagErrorf("--email signs in with a code sent to that address: leave out --username and --with-token")
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	hostname, _ := os.Hostname()
	cmd.Flags().StringVarP(&opts.Username, "username", "u", "", "Portal username")
	cmd.Flags().StringVar(&opts.Email, "email", "", "Sign in with a one-time code sent to this `address`")
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "Read the password from stdin")
	cmd.Flags().BoolVar(&opts.WithToken, "with-token", false, "Read an existing token from stdin instead of signing in")
	cmd.Flags().BoolVar(&opts.InsecureStorage, "insecure-storage", false, "Store the token in the config file instead of the keyring")
	cmd.Flags().StringVar(&opts.TokenName, "token-name", "portalctl on "+hostname, "Name of the token created on the portal")
	cmdutil.CreatesProfile(cmd) // `auth login --profile staging` creates the profile
	return cmd
}

func loginRun(ctx context.Context, opts *Options) error {
	if opts.Getenv("PORTALCTL_TOKEN") != "" {
		return cmdutil.WithHint(errors.New("PORTALCTL_TOKEN is set, so portalctl would ignore a stored login"),
			"keep using PORTALCTL_TOKEN (no login needed), or unset it and run login again")
	}
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	host, err := cfg.Host()
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	if unencrypted(host) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s is plain http: your password and token cross the network unencrypted; use https://\n", host)
	}
	token, created, err := obtainToken(ctx, opts, host)
	if err != nil {
		return err
	}
	c, err := opts.NewClient(host, token)
	if err != nil {
		return err
	}
	me, err := c.Me(ctx) // the token must work before it is stored
	if err != nil {
		return fmt.Errorf("the token was not accepted by %s: %w", host, err)
	}
	if err := cfg.StoreToken(opts.Keyring, host, me.User.Username, token, opts.InsecureStorage); err != nil {
		if created {
			_ = c.RevokeCurrentToken(ctx) // do not leave an unusable token behind on the portal
		}
		return err
	}
	if err := cfg.Save(); err != nil {
		return err
	}
	where := "the system keyring"
	if opts.InsecureStorage {
		where = cfg.FilePath()
	}
	fmt.Fprintf(opts.IO.ErrOut, "Logged in to %s as %s (%s); token stored in %s\n",
		host, me.User.Username, me.Organization.Name, where)
	return nil
}

// unencrypted reports a plain http:// address of another machine: loopback
// traffic never leaves this one.
func unencrypted(host string) bool {
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "http" {
		return false
	}
	name := u.Hostname()
	if name == "localhost" {
		return false
	}
	ip, err := netip.ParseAddr(name)
	return err != nil || !ip.Unmap().IsLoopback()
}

// obtainToken reads a token from stdin or signs in with a username and
// password. created reports whether a new token was made on the portal.
func obtainToken(ctx context.Context, opts *Options, host string) (token string, created bool, err error) {
	if opts.WithToken {
		token, err := readSecret(opts.IO, "--with-token", "the token")
		return token, false, err
	}
	if opts.Email != "" {
		return codeToken(ctx, opts, host)
	}
	username := opts.Username
	if username == "" {
		if !opts.IO.CanPrompt() {
			return "", false, cmdutil.FlagErrorf("--username is required when not running in a terminal")
		}
		fmt.Fprint(opts.IO.ErrOut, "Username: ")
		if username, err = opts.IO.ReadLine(); err != nil {
			return "", false, err
		}
		username = strings.TrimSpace(username)
	}
	var password string
	switch {
	case opts.PasswordStdin:
		password, err = readSecret(opts.IO, "--password-stdin", "the password")
	case opts.IO.IsStdinTTY():
		fmt.Fprint(opts.IO.ErrOut, "Password: ")
		password, err = opts.IO.ReadPassword()
		fmt.Fprintln(opts.IO.ErrOut)
	default:
		err = cmdutil.FlagErrorf("no terminal to ask for the password: pipe it with --password-stdin, or use --with-token")
	}
	if err != nil {
		return "", false, err
	}
	if username == "" || password == "" {
		return "", false, cmdutil.FlagErrorf("a username and a password are required")
	}
	anon, err := opts.NewClient(host, "")
	if err != nil {
		return "", false, err
	}
	tok, err := anon.Login(ctx, api.CreateTokenRequest{Username: username, Password: password, Name: opts.TokenName})
	if err != nil {
		return "", false, fmt.Errorf("login to %s failed: %w", host, err)
	}
	return tok.Token, true, nil
}

// readSecret reads one line from stdin, refusing to wait on a terminal
// where nothing was piped (a blocked login in CI is worse than an error).
func readSecret(ios *iostreams.IOStreams, flag, what string) (string, error) {
	if ios.IsStdinTTY() {
		return "", cmdutil.FlagErrorf("%s reads %s from stdin, but stdin is a terminal: pipe it in, e.g. `portalctl auth login %s < file`", flag, what, flag)
	}
	s, err := ios.ReadLine()
	if err != nil {
		return "", err
	}
	if s = strings.TrimSpace(s); s == "" {
		return "", cmdutil.FlagErrorf("%s: stdin was empty, expected %s", flag, what)
	}
	return s, nil
}

// codeToken signs in with a one-time code the portal emails to opts.Email.
func codeToken(ctx context.Context, opts *Options, host string) (string, bool, error) {
	if !opts.PasswordStdin && !opts.IO.IsStdinTTY() {
		return "", false, cmdutil.FlagErrorf("no terminal to ask for the code: pipe it with --password-stdin")
	}
	anon, err := opts.NewClient(host, "")
	if err != nil {
		return "", false, err
	}
	if err := anon.SendLoginCode(ctx, opts.Email); err != nil {
		return "", false, fmt.Errorf("asking %s for a sign-in code failed: %w", host, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "If %s belongs to a portal user, a sign-in code is on its way to it (valid 10 minutes).\n", opts.Email)
	var code string
	if opts.PasswordStdin {
		code, err = readSecret(opts.IO, "--password-stdin", "the code")
	} else {
		fmt.Fprint(opts.IO.ErrOut, "Code: ")
		code, err = opts.IO.ReadLine()
		code = strings.TrimSpace(code)
	}
	if err != nil {
		return "", false, err
	}
	if code == "" {
		return "", false, cmdutil.FlagErrorf("no code given")
	}
	tok, err := anon.Login(ctx, api.CreateTokenRequest{Email: opts.Email, Code: code, Name: opts.TokenName})
	if err != nil {
		return "", false, fmt.Errorf("login to %s failed: %w", host, err)
	}
	return tok.Token, true, nil
}
