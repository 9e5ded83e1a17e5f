package root

import (
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// topics are the help topics' short and long texts. A function, not a
// package variable, so the texts are only laid out when a topic is built.
func topics() map[string]struct{ short, long string } {
	return map[string]struct{ short, long string }{
		"environment": {"Environment variables that portalctl reads", heredoc.Doc(`
		PORTALCTL_TOKEN: an access token to use instead of the stored one. When set, the
		keyring is never consulted (fast and safe for CI and cron).

		PORTALCTL_HOST: the portal URL, e.g. https://portal.example.com (overridden by --host).

		PORTALCTL_PROFILE: the config profile to use (overridden by --profile). It must
		name a profile of the config file (portalctl config profiles); auth login and
		config set create one.

		PORTALCTL_DEBUG: set to "api" to log every HTTP request and response line to stderr,
		with the Authorization header redacted.

		PORTALCTL_TIMEOUT: how long to wait for the portal, e.g. 30s or 2m (default 60s):
		for a request and its retries, and for each silence in a streamed export.

		XDG_CONFIG_HOME: where the config file lives: $XDG_CONFIG_HOME/portalctl/config.yaml
		(default ~/.config/portalctl/config.yaml).

		PORTALCTL_PAGER, PAGER: the pager for long output on a terminal, in that order
		(default less -FRX); PORTALCTL_PAGER=cat or --no-pager turns it off.

		BROWSER: the command that opens web pages (projects view --web); default
		xdg-open, or open on macOS.

		NO_COLOR: set to anything to turn colour off. CLICOLOR=0 does the same;
		CLICOLOR_FORCE=1 keeps colour even when output is piped.
	`)},
		"exit-codes": {"Exit codes used by portalctl", heredoc.Doc(`
		portalctl exits with one of these codes:

		  0    success (also when a list is empty)
		  1    error: server error, network failure after retries, unexpected response
		  2    usage error: bad flag, missing argument, bad value
		  3    not found
		  4    not authenticated: no token, or the token was rejected
		  5    forbidden: your security level lacks the permission named in the message
		  6    rejected input or conflict: validation failed, idempotency conflict
		  7    rate limited, after honouring Retry-After (at once when it asks for over 30 s)
		  8    tasks open --exit-status: you have open tasks (0: none), for shell if and CI gates
		  130  interrupted (Ctrl-C); partial output files are removed

		Errors are printed to stderr as one line starting with "error:", sometimes
		followed by a hint line; stdout only ever carries data.
	`)},
	}
}

// helpTopic builds a help topic: a hidden command, so `portalctl help
// <topic>` works and the topic appears in generated docs, as in gh.
func helpTopic(name string) func(*factory.Factory) *cobra.Command {
	return func(*factory.Factory) *cobra.Command {
		t := topics()[name]
		c := &cobra.Command{
			Use:     name,
			Short:   t.short,
			Long:    t.long,
			Example: "$ portalctl help " + name,
			Hidden:  true,
			Args:    cmdutil.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				_, err := fmt.Fprint(cmd.OutOrStdout(), cmd.Long)
				return err
			},
		}
		c.SetHelpFunc(func(cmd *cobra.Command, _ []string) { fmt.Fprint(cmd.OutOrStdout(), cmd.Long) })
		cmdutil.DisableAuthCheck(c)
		cmdutil.DisableInterruptHandler(c)
		return c
	}
}
