package root

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// completionTimeout bounds every lookup a tab press makes: completion must
// feel instant, never prompt, and print nothing when the portal is slow,
// unreachable or the user is not logged in.
const completionTimeout = 2 * time.Second

// completer produces "value\tdescription" candidates from the portal.
type completer func(ctx context.Context, c *client.Client) ([]string, error)

// The dynamic completions, by command path. They are wired here, in one
// table, so the verb packages stay about their verb.
var (
	argCompleters = map[string]completer{
		"projects view":        projectNumbers,
		"projects schedule":    projectNumbers,
		"projects notes":       projectNumbers,
		"projects attachments": projectNumbers,
		"projects calendar":    projectNumbers,
		"projects note add":    projectNumbers,
		"tasks view":           taskNumbers,
		"tasks note":           taskNumbers,
		"tasks complete":       taskNumbers,
		"tasks reply":          taskNumbers,
		"endclient view":       endClientProjectNumbers,
	}
	flagCompleters = map[string]map[string]completer{
		"projects list":      {"org": organizations},
		"tasks open":         {"project": projectNumbers},
		"issue new":          {"project": projectNumbers},
		"issue list":         {"project": projectNumbers},
		"team list":          {"project": projectNumbers},
		"team email":         {"project": projectNumbers},
		"endclient projects": {"client": endClients},
		"endclient hours":    {"client": endClients},
	}
	// columnKeys give the --columns values of each command's row model;
	// method values, so nothing is computed until a TAB press asks.
	columnKeys = map[string]func() []string{
		"projects list":        output.Projects.Keys,
		"projects view":        output.Projects.Keys,
		"projects schedule":    output.ScheduleItems.Keys,
		"projects notes":       output.Notes.Keys,
		"projects note add":    output.Notes.Keys,
		"projects attachments": output.Attachments.Keys,
		"projects calendar":    output.Events.Keys,
		"tasks open":           output.Tasks.Keys,
		"tasks view":           output.Tasks.Keys,
		"tasks note":           output.TaskNotes.Keys,
		"tasks complete":       output.CompleteResults.Keys,
		"issue new":            output.Tasks.Keys,
		"issue list":           output.Tasks.Keys,
		"team list":            output.TeamMembers.Keys,
		"team email":           output.EmailResults.Keys,
		"endclient clients":    output.EndClients.Keys,
		"endclient projects":   output.EndClientProjects.Keys,
		"endclient view":       output.EndClientProjects.Keys,
		"endclient hours":      output.BilledHours.Keys,
	}
)

// addCompletions registers the tables above on the command tree.
func addCompletions(f *factory.Factory, root *cobra.Command) {
	walk(root, func(cmd *cobra.Command) {
		path := strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
		if c, ok := argCompleters[path]; ok {
			cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return lookup(f, c)
			}
		}
		for flag, c := range flagCompleters[path] {
			_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return lookup(f, c)
			})
		}
		if keys, ok := columnKeys[path]; ok {
			_ = cmd.RegisterFlagCompletionFunc("columns", completeColumns(keys))
		}
	})
}

func walk(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		walk(c, fn)
	}
}

// lookup runs a completer against the portal, silently giving nothing on
// any failure (not logged in, no network, timeout).
func lookup(f *factory.Factory, c completer) ([]string, cobra.ShellCompDirective) {
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

// completeColumns completes a comma-separated --columns list: the keys not
// yet given, each prefixed by what is already typed.
func completeColumns(keys func() []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done, _ := cutLast(toComplete)
		var out []string
		for _, k := range keys() {
			if !strings.Contains(","+done, ","+k+",") {
				out = append(out, done+k)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// cutLast splits "id,name,st" into "id,name," and "st".
func cutLast(s string) (done, last string) {
	i := strings.LastIndex(s, ",")
	return s[:i+1], s[i+1:]
}

// completionLimit caps how many records a completion fetches.
const completionLimit = 200

func projectNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collect(c.Projects(ctx, client.ProjectsQuery{}, completionLimit), func(p api.Project) string {
		return p.Number + "\t" + p.Name
	})
}

func endClientProjectNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collect(c.EndClientProjects(ctx, client.EndClientProjectsQuery{}, completionLimit), func(p api.EndClientProject) string {
		return p.Number + "\t" + p.Name + " (" + p.OrganizationName + ")"
	})
}

func taskNumbers(ctx context.Context, c *client.Client) ([]string, error) {
	return collect(c.OpenTasks(ctx, "", completionLimit), func(t api.Task) string {
		return t.Number + "\t" + t.Title
	})
}

func endClients(ctx context.Context, c *client.Client) ([]string, error) {
	return collect(c.EndClients(ctx, completionLimit), func(e api.EndClient) string {
		return fmt.Sprintf("%d\t%s", e.ID, e.Name)
	})
}

func organizations(ctx context.Context, c *client.Client) ([]string, error) {
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

func collect[T any](rows iter.Seq2[T, error], word func(T) string) ([]string, error) {
	var out []string
	for r, err := range rows {
		if err != nil {
			return nil, err
		}
		out = append(out, word(r))
	}
	return out, nil
}
