package shared

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// Completions from the portal: each command registers the ones its
// argument and flags take where it defines them, e.g.
//
//	cmd.ValidArgsFunction = shared.CompleteArg(f, shared.ProjectNumbers)
//	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))

// completionTimeout bounds every lookup a tab press makes: completion must
// feel instant, never prompt, and print nothing when the portal is slow,
// unreachable or the user is not logged in.
const completionTimeout = 2 * time.Second

// Completer produces "value\tdescription" candidates from the portal.
type Completer func(ctx context.Context, c *client.Client) ([]string, error)

// Complete is a flag's completion from the portal.
func Complete(f *factory.Factory, c Completer) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return lookup(f, c)
	}
}

// CompleteArg is a command's completion of its one argument from the
// portal; nothing after it.
func CompleteArg(f *factory.Factory, c Completer) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return lookup(f, c)
	}
}

// lookup runs a completer against the portal, silently giving nothing on
// any failure (not logged in, no network, timeout).
func lookup(f *factory.Factory, c Completer) ([]string, cobra.ShellCompDirective) {
	keyring.Timeout = time.Second // a locked keyring must not hang the shell
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	cl, err := f.Client()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	words, err := c(ctx, cl)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return words, cobra.ShellCompDirectiveNoFileComp
}

// completionLimit caps how many records a completion fetches.
const completionLimit = 200

// ProjectNumbers completes My Projects by number.
func ProjectNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collectWords(c.Projects(ctx, client.ProjectsQuery{}, completionLimit), func(p api.Project) string {
		return p.Number + "\t" + p.Name
	})
}

// EndClientProjectNumbers completes the end-client projects by number.
func EndClientProjectNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collectWords(c.EndClientProjects(ctx, client.EndClientProjectsQuery{}, completionLimit), func(p api.EndClientProject) string {
		return p.Number + "\t" + p.Name + " (" + p.OrganizationName + ")"
	})
}

// EndClientTicketNumbers completes the open end-client tickets by number.
func EndClientTicketNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collectWords(c.EndClientTickets(ctx, client.EndClientProjectsQuery{}, completionLimit), func(t api.EndClientTicket) string {
		return t.Number + "\t" + t.Title + " (" + t.OrganizationName + ")"
	})
}

// TaskNumbers completes My Open Tasks by number.
func TaskNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collectWords(c.OpenTasks(ctx, "", completionLimit), func(t api.Task) string {
		return t.Number + "\t" + t.Title
	})
}

// EndClients completes the end clients by id.
func EndClients(ctx context.Context, c *client.Client) ([]string, error) {
	return collectWords(c.EndClients(ctx, completionLimit), func(e api.EndClient) string {
		return fmt.Sprintf("%d\t%s", e.ID, e.Name)
	})
}

// TokenIDs completes the ids of the user's access tokens.
func TokenIDs(ctx context.Context, c *client.Client) ([]string, error) {
	tokens, err := c.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = fmt.Sprintf("%d\t%s", t.ID, t.Name)
	}
	return out, nil
}

// CalendarFeedIDs completes the ids of the user's calendar subscriptions.
func CalendarFeedIDs(ctx context.Context, c *client.Client) ([]string, error) {
	feeds, err := c.CalendarFeeds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(feeds))
	for i, f := range feeds {
		out[i] = fmt.Sprintf("%d\t%s", f.ID, f.Name)
	}
	return out, nil
}

// Organizations completes --org: all, own, or an organization by id.
func Organizations(ctx context.Context, c *client.Client) ([]string, error) {
	orgs, err := c.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{"all\tevery organization you may see", "own\tyour organization only"}
	for _, o := range orgs {
		out = append(out, fmt.Sprintf("%d\t%s", o.ID, o.Name))
	}
	return out, nil
}

func collectWords[T any](rows iter.Seq2[T, error], word func(T) string) ([]string, error) {
	var out []string
	for r, err := range rows {
		if err != nil {
			return nil, err
		}
		out = append(out, word(r))
	}
	return out, nil
}
