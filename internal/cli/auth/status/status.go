// Package status implements `portalctl auth status`. It is the model for
// every command: an Options struct holding injected dependencies and parsed
// flags, NewCmdStatus taking a runF seam for flag tests, statusRun doing the
// work against the Options only.
package status

import (
	"context"
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/client"
)

// Options are everything statusRun needs.
type Options struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.Config, error)
	Keyring   keyring.Store
	NewClient func(host, token string) (*client.Client, error)
	ShowToken bool
}

// NewCmdStatus builds the command; runF replaces statusRun in flag tests.
func NewCmdStatus(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Config:  f.Config,
		Keyring: f.Keyring,
		NewClient: func(host, token string) (*client.Client, error) {
			return f.ClientFor(host, token)
		},
	}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show which portal and account you are signed in to",
		Long: heredoc.Doc(`
			Show the portal host, the signed-in user and organization, where the token
			comes from (PORTALCTL_TOKEN, keyring or config file) and the token, masked.

			The token is checked against the portal. The exit code is 4 when you are not
			signed in or the portal rejects the token.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth status
			$ portalctl auth status --show-token
			$ portalctl auth status --profile staging
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ShowToken, "show-token", false, "Show the whole token")
	return cmd
}

func statusRun(ctx context.Context, opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	host, err := cfg.Host()
	if err != nil {
		return cmdutil.WithHint(cmdutil.ErrNotLoggedIn, "run `portalctl auth login --host URL`")
	}
	token, source, err := cfg.Token(opts.Keyring)
	if err != nil {
		return err
	}
	c, err := opts.NewClient(host, token)
	if err != nil {
		return err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return fmt.Errorf("token from %s was not accepted by %s: %w", source, host, err)
	}
	out := opts.IO.Out
	shown := maskToken(token)
	if opts.ShowToken {
		shown = token
	}
	fmt.Fprintf(out, "%s (profile %s)\n", host, cfg.ProfileName())
	fmt.Fprintf(out, "  Logged in as %s (%s)\n", me.User.Username, me.User.Name)
	fmt.Fprintf(out, "  Organization: %s (time zone %s)\n", me.Organization.Name, me.Organization.TimeZone)
	fmt.Fprintf(out, "  Security level: %s (%s)\n", me.SecurityLevel.Name, strings.Join(me.SecurityLevel.Permissions, ", "))
	fmt.Fprintf(out, "  Token: %s (from %s)\n", shown, source)
	return nil
}

// maskToken keeps a short prefix so users can tell tokens apart.
func maskToken(t string) string {
	if len(t) < 12 {
		return strings.Repeat("*", len(t))
	}
	return t[:4] + strings.Repeat("*", 8)
}
