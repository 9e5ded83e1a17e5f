// Package logout implements `portalctl auth logout`.
package logout

import (
	"context"
	"errors"
	"fmt"

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

// Options are everything logoutRun needs.
type Options struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.Config, error)
	Keyring   keyring.Store
	Getenv    func(string) string
	NewClient func(host, token string) (*client.Client, error)
}

// NewCmdLogout builds the command; runF replaces logoutRun in flag tests.
func NewCmdLogout(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config, Keyring: f.Keyring, Getenv: f.Getenv,
		NewClient: func(host, token string) (*client.Client, error) {
			return f.ClientFor(host, token)
		}}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Revoke the stored token and forget it",
		Long: heredoc.Doc(`
			Revoke the current profile's token on the portal (so a copy of it is useless
			too), then remove it from the keyring or config file.

			If the portal cannot be reached the token is kept, so you can try again.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth logout
			$ portalctl auth logout --profile staging
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func logoutRun(ctx context.Context, opts *Options) error {
	if opts.Getenv("PORTALCTL_TOKEN") != "" {
		return cmdutil.WithHint(errors.New("PORTALCTL_TOKEN is set, and portalctl uses it instead of a stored login"),
			"unset PORTALCTL_TOKEN to log out of the stored login; revoke an environment token on the portal")
	}
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	host, err := cfg.Host()
	if err != nil {
		return cmdutil.ErrNotLoggedIn
	}
	token, _, err := cfg.Token(opts.Keyring)
	if err != nil {
		return err
	}
	c, err := opts.NewClient(host, token)
	if err != nil {
		return err
	}
	// A token the portal already rejects (expired, revoked) is simply forgotten.
	if err := c.RevokeCurrentToken(ctx); err != nil && api.ErrorCode(err) != api.CodeUnauthenticated {
		return cmdutil.WithHint(fmt.Errorf("could not revoke the token on %s: %w", host, err),
			"the token is still stored; try again when the portal is reachable")
	}
	user := cfg.Profile().User
	if err := cfg.DeleteToken(opts.Keyring); err != nil {
		return err
	}
	if err := cfg.Save(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Logged out %s from %s (profile %s)\n", user, host, cfg.ProfileName())
	return nil
}
