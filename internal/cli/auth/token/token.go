// Package token implements `portalctl auth token`.
package token

import (
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

// Options are everything tokenRun needs.
type Options struct {
	IO      *iostreams.IOStreams
	Config  func() (*config.Config, error)
	Keyring keyring.Store
}

// NewCmdToken builds the command; runF replaces tokenRun in flag tests.
func NewCmdToken(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config, Keyring: f.Keyring}
	cmd := &cobra.Command{
		Use:   "token [list | revoke ID]",
		Short: "Print the token portalctl uses; list or revoke your tokens",
		Long: heredoc.Doc(`
			Print the access token for the current profile to stdout, e.g. to hand it to
			another tool. It comes from PORTALCTL_TOKEN, the keyring or the config file,
			in that order.

			auth token list lists your tokens (with their expiry); auth token revoke ID
			revokes one.
		`),
		Example: heredoc.Doc(`
			$ curl -H "Authorization: Bearer $(portalctl auth token)" "$(portalctl config get host)/v1/me"
			$ portalctl auth token list
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return tokenRun(opts)
		},
	}
	return cmd
}

func tokenRun(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	token, _, err := cfg.Token(opts.Keyring)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(opts.IO.Out, token)
	return err
}
