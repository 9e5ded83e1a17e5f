// Package tokenrevoke implements `portalctl auth token revoke`.
package tokenrevoke

import (
	"context"
	"fmt"
	"strconv"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// Options for auth token revoke.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	ID     int64
}

// NewCmdRevoke builds the command.
func NewCmdRevoke(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke one of your access tokens",
		Long: heredoc.Doc(`
			Revoke one of your access tokens by its id (see portalctl auth token list): it
			stops working at once, wherever it is used. Revoking the token portalctl itself
			uses signs this profile out (portalctl auth logout does that and forgets it).
		`),
		Example: heredoc.Doc(`
			$ portalctl auth token list
			$ portalctl auth token revoke 7
		`),
		Args: cmdutil.ExactArgs(1, "auth token revoke needs the token's id (see portalctl auth token list)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cmdutil.IDArg(args[0], "token")
			if err != nil {
				return err
			}
			opts.ID, _ = strconv.ParseInt(id, 10, 64)
			if runF != nil {
				return runF(opts)
			}
			return revokeRun(cmd.Context(), opts)
		},
	}
	return cmd
}

func revokeRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	// The list says what the id is (its name, whether it is this one), so
	// the confirmation can say what was revoked.
	tokens, err := c.Tokens(ctx)
	if err != nil {
		return err
	}
	var tok *api.Token
	for i := range tokens {
		if tokens[i].ID == opts.ID {
			tok = &tokens[i]
		}
	}
	if tok == nil {
		return cmdutil.WithHint(&api.Error{Code: api.CodeNotFound, Message: fmt.Sprintf("you have no token %d", opts.ID)},
			"see your tokens with `portalctl auth token list`")
	}
	if err := c.RevokeToken(ctx, opts.ID); err != nil {
		return err
	}
	if opts.IO.IsStdoutTTY() {
		fmt.Fprintf(opts.IO.Out, "✓ Revoked token %d (%s)\n", tok.ID, tok.Name)
	}
	if tok.Current {
		fmt.Fprintln(opts.IO.ErrOut, "That was the token portalctl uses: sign in again with `portalctl auth login`.")
	}
	return nil
}
