// Package status implements `portalctl auth status`. It is the model for
// every command: an Options struct holding injected dependencies and parsed
// flags, NewCmdStatus taking a runF seam for flag tests, statusRun doing the
// work against the Options only.
package status

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options are everything statusRun needs.
type Options struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.Config, error)
	Keyring   keyring.Store
	NewClient func(host, token string) (*client.Client, error)
	Now       func() time.Time
	ShowToken bool
	Format    string // "text" or "json"
	JQ        string
}

// NewCmdStatus builds the command; runF replaces statusRun in flag tests.
func NewCmdStatus(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Config:  f.Config,
		Keyring: f.Keyring,
		Now:     f.Now,
		NewClient: func(host, token string) (*client.Client, error) {
			return f.ClientFor(host, token)
		},
	}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show which portal and account you are signed in to",
		Long: heredoc.Doc(`
			Show the portal host, the signed-in user and organization, where the token
			comes from (PORTALCTL_TOKEN, keyring or config file), the token, masked, and
			when it expires (tokens from auth login last 90 days). -o json prints the same
			as one JSON object, for scripts that check a token before it runs out.

			The token is checked against the portal. The exit code is 4 when you are not
			signed in or the portal rejects the token.
		`),
		Example: heredoc.Doc(`
			$ portalctl auth status
			$ portalctl auth status -o json
			$ portalctl auth status -o json --jq .token.expires_at
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.JQ != "" {
				if _, err := output.CompileJQ(opts.JQ); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ShowToken, "show-token", false, "Show the whole token")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "output", "o", "text", []string{"text", "json"}, "Output format")
	cmd.Flags().StringVar(&opts.JQ, "jq", "", "Filter the JSON output with a jq expression (implies -o json)")
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
	shown := maskToken(token)
	if opts.ShowToken {
		shown = token
	}
	st := Status{Host: host, Profile: cfg.ProfileName(), User: me.User, Organization: me.Organization,
		SecurityLevel: me.SecurityLevel, Token: TokenStatus{Source: source, Token: shown}}
	// The token's own record says when it expires; a portal that cannot
	// list tokens still gets the rest of the status.
	tokens, tokErr := c.Tokens(ctx)
	for _, t := range tokens {
		if t.Current {
			st.Token.ID, st.Token.Name, st.Token.ExpiresAt, st.Token.Known = t.ID, t.Name, t.ExpiresAt, true
		}
	}
	if opts.Format == "json" || opts.JQ != "" {
		return writeJSON(opts, st)
	}
	// The names come from the server: shown, never run (output.Sanitize).
	out, safe := opts.IO.Out, output.Sanitize
	fmt.Fprintf(out, "%s (profile %s)\n", host, cfg.ProfileName())
	fmt.Fprintf(out, "  Logged in as %s (%s)\n", safe(me.User.Username), safe(me.User.Name))
	fmt.Fprintf(out, "  Organization: %s (time zone %s)\n", safe(me.Organization.Name), safe(me.Organization.TimeZone))
	fmt.Fprintf(out, "  Security level: %s (%s)\n", safe(me.SecurityLevel.Name), safe(strings.Join(me.SecurityLevel.Permissions, ", ")))
	fmt.Fprintf(out, "  Token: %s (from %s)\n", shown, source)
	fmt.Fprintf(out, "  Token expires: %s\n", expiry(st.Token, tokErr, opts.Now()))
	return nil
}

// Status is what `auth status -o json` prints.
type Status struct {
	Host          string            `json:"host"`
	Profile       string            `json:"profile"`
	User          api.User          `json:"user"`
	Organization  api.Organization  `json:"organization"`
	SecurityLevel api.SecurityLevel `json:"security_level"`
	Token         TokenStatus       `json:"token"`
}

// TokenStatus describes the token in use; ExpiresAt is null for a token
// that never expires (and when the portal did not say).
type TokenStatus struct {
	Source    string     `json:"source"`
	Token     string     `json:"token"` // masked unless --show-token
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
	Known     bool       `json:"-"` // the portal listed the token
}

func writeJSON(opts *Options, st Status) error {
	return output.WriteDocument(opts.IO.Out, st, output.Options{JQ: opts.JQ, IsTTY: opts.IO.IsStdoutTTY()})
}

// expiry says when the token expires, in the user's words.
func expiry(t TokenStatus, listErr error, now time.Time) string {
	switch {
	case listErr != nil || !t.Known:
		return "unknown (the portal did not list this token)"
	case t.ExpiresAt == nil:
		return "never"
	}
	left := t.ExpiresAt.Sub(now)
	when := t.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")
	switch days := int(left.Hours() / 24); {
	case left <= 0:
		return when + " (expired)"
	case days == 0:
		return when + " (today)"
	case days == 1:
		return when + " (in 1 day)"
	default:
		return fmt.Sprintf("%s (in %d days)", when, days)
	}
}

// maskToken keeps a short prefix so users can tell tokens apart.
func maskToken(t string) string {
	if len(t) < 12 {
		return strings.Repeat("*", len(t))
	}
	return t[:4] + strings.Repeat("*", 8)
}
