package root

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/shlex"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/output"
)

// Value flags (by name, or "command path --name" for one command) and
// arguments that complete nothing, and why: what the user types is
// theirs, or a path the shell completes by itself.
var (
	flagsWithoutCompletion = map[string]string{
		"host":                                   "a URL of the user's choosing",
		"jq":                                     "a jq program",
		"tz":                                     "an IANA zone name: no list is the same on every system",
		"from":                                   "a date",
		"to":                                     "a date",
		"limit":                                  "a number",
		"lock-timeout":                           "a duration",
		"interval":                               "a duration",
		"name":                                   "a name the user gives",
		"search":                                 "free text",
		"title":                                  "free text",
		"subject":                                "free text",
		"message":                                "free text",
		"body":                                   "free text",
		"field":                                  "key=value pairs",
		"username":                               "the user's own login",
		"email":                                  "the user's own address",
		"token-name":                             "a name the user gives",
		"idempotency-key":                        "a key the user makes up",
		"output-file":                            "a path: the shell completes files",
		"body-file":                              "a path: the shell completes files",
		"attach":                                 "a path: the shell completes files",
		"input":                                  "a path: the shell completes files",
		"state":                                  "a path: the shell completes files",
		"portalctl attachment download --output": "a path: the shell completes files",
	}
	argsWithoutCompletion = map[string]string{
		"portalctl api":                 "any API path",
		"portalctl attachment download": "attachment ids are listed per project (projects attachments), not for all",
		"portalctl team email status":   "the id team email printed; there is no list of sent emails",
	}
	// argWord is an argument in a command's Use line: ID, NUMBER, KEY, PATH…
	argWord = regexp.MustCompile(`^[A-Z][A-Z|]*$`)
)

// TestEveryFlagCompletes walks the command tree: every flag that takes a
// value, and every command argument, completes on TAB (registered where
// the command defines it), unless it is listed above with the reason none
// makes sense. A new --project or --client without its completer, or a
// command printing a model without its --columns keys, fails here.
func TestEveryFlagCompletes(t *testing.T) {
	f, _, _, _ := factory.NewTest(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}, &httpmock.Registry{})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) { checkFlag(t, c, fl) })
		c.PersistentFlags().VisitAll(func(fl *pflag.Flag) { checkFlag(t, c, fl) })
		if c.Runnable() && !c.HasSubCommands() && takesArg(c) && c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 {
			if _, ok := argsWithoutCompletion[c.CommandPath()]; !ok {
				t.Errorf("%s (%s) completes no argument: set ValidArgsFunction where the command is defined", c.CommandPath(), c.Use)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCmdRoot(f))
}

func checkFlag(t *testing.T, c *cobra.Command, fl *pflag.Flag) {
	t.Helper()
	if fl.Value.Type() == "bool" || fl.Hidden || fl.Deprecated != "" || fl.Name == "help" {
		return
	}
	if _, ok := c.GetFlagCompletionFunc(fl.Name); ok {
		return
	}
	_, free := flagsWithoutCompletion[fl.Name]
	if _, ok := flagsWithoutCompletion[c.CommandPath()+" --"+fl.Name]; !ok && !free {
		t.Errorf("%s --%s completes nothing: register a completer next to the flag, or list it in flagsWithoutCompletion with why none makes sense",
			c.CommandPath(), fl.Name)
	}
}

// takesArg reports whether c's Use line names an argument (after the
// command's own name, before any flag).
func takesArg(c *cobra.Command) bool {
	for _, w := range strings.Fields(c.Use)[1:] {
		if strings.HasPrefix(w, "-") || strings.HasPrefix(w, "[-") || strings.HasPrefix(w, "(") {
			break
		}
		if argWord.MatchString(strings.Trim(w, "[]{}")) || strings.HasPrefix(w, "{") {
			return true
		}
	}
	return false
}

// TestColumnsCompleteTheModelPrinted: --columns completes the keys of the
// rows the command will print, which a flag may change.
func TestColumnsCompleteTheModelPrinted(t *testing.T) {
	whole := func(f *factory.Factory, _ []string) *cobra.Command { return NewCmdRoot(f) }
	for _, tt := range []struct {
		cli  string
		want []string
	}{
		{"__completeNoDesc tasks view T1 --columns ''", output.Tasks.Keys()},
		{"__completeNoDesc tasks view T1 --notes --columns ''", output.TaskNotes.Keys()},
		{"__completeNoDesc endclient view 5 --columns ''", output.EndClientProjects.Keys()},
		{"__completeNoDesc endclient view 5 --schedule --columns ''", output.ScheduleItems.Keys()},
		{"__completeNoDesc issue new --columns ''", output.FiledIssues.Keys()},
		{"__completeNoDesc endclient charges --columns ''", output.Charges.Keys()},
	} {
		args, err := shlex.Split(tt.cli)
		require.NoError(t, err)
		got := run(t, whole, args)
		lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
		assert.Equal(t, tt.want, lines[:len(lines)-1], "%s", tt.cli) // the last line is cobra's directive
	}
}
