package cmdutil

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// enumValue is a string flag that only accepts a fixed set of values.
type enumValue struct {
	target  *string
	options []string
}

func (e *enumValue) Set(v string) error {
	for _, o := range e.options {
		if strings.EqualFold(o, v) {
			*e.target = o
			return nil
		}
	}
	return fmt.Errorf("valid values are %s", strings.Join(e.options, ", "))
}
func (e *enumValue) String() string { return *e.target }
func (e *enumValue) Type() string   { return "string" }

// StringEnumFlag adds a flag that accepts only options, shows them in the
// usage text as {a|b|c} and completes them in the shell.
func StringEnumFlag(cmd *cobra.Command, p *string, name, short, defaultValue string, options []string, usage string) *pflag.Flag {
	*p = defaultValue
	val := &enumValue{target: p, options: options}
	f := cmd.Flags().VarPF(val, name, short, fmt.Sprintf("%s: {%s}", usage, strings.Join(options, "|")))
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(options, cobra.ShellCompDirectiveNoFileComp))
	return f
}

// FlagErrorFunc turns pflag's parse errors into usage errors (exit code 2).
func FlagErrorFunc(cmd *cobra.Command, err error) error {
	if err == pflag.ErrHelp {
		return err
	}
	return FlagErrorWrap(err)
}

// ExactArgs requires n arguments, explaining what is missing as a usage error.
func ExactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return FlagErrorf("too many arguments: %q", args[n:])
		}
		if len(args) < n {
			return FlagErrorf("%s", msg)
		}
		return nil
	}
}

// NoArgs rejects positional arguments as a usage error; for a command that
// also has subcommands (auth token list, team email status), an argument
// close to one of them is a mistyped one.
func NoArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) > 0 && cmd.HasSubCommands() && len(subcommandSuggestions(cmd, args[0])) > 0:
		return UnknownSubcommand(cmd, args[0])
	case len(args) > 0:
		return FlagErrorf("unexpected argument %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// UnknownSubcommand is the usage error for a mistyped subcommand of a
// group, worded like cobra's for the root command, with suggestions
// (gh's nestedSuggestFunc: edit distance 2 or a prefix; "help" suggests
// --help). The hint line ("run '… --help' for usage") is added once, by
// the caller that prints the error.
func UnknownSubcommand(group *cobra.Command, arg string) error {
	msg := fmt.Sprintf("unknown command %q for %q", arg, group.CommandPath())
	if candidates := subcommandSuggestions(group, arg); len(candidates) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(candidates, "\n\t") + "\n"
	}
	return FlagErrorf("%s", msg)
}

// subcommandSuggestions are the subcommands of group arg may be a typo of.
func subcommandSuggestions(group *cobra.Command, arg string) []string {
	if arg == "help" {
		return []string{"--help"}
	}
	if group.SuggestionsMinimumDistance <= 0 {
		group.SuggestionsMinimumDistance = 2
	}
	return group.SuggestionsFor(arg)
}

// MutuallyExclusive fails with a usage error when more than one condition is true.
func MutuallyExclusive(message string, conditions ...bool) error {
	n := 0
	for _, c := range conditions {
		if c {
			n++
		}
	}
	if n > 1 {
		return FlagErrorf("%s", message)
	}
	return nil
}

// The number patterns are compiled on first use, not at start-up: most
// runs (and `portalctl version`) never validate a reference.
var (
	projectNumber = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^P\d{8}\.\d{4}$`) })
	taskNumber    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^T\d{8}\.\d{4}$`) })
)

// ProjectRef validates a project argument: an id (42) or a number
// (P20260105.0001, case-insensitive). The server resolves either.
func ProjectRef(arg string) (string, error) {
	return ref(arg, projectNumber, "project", "P20260105.0001")
}

// ProjectFlag validates a required --project flag; its usage errors name
// the flag (cli.md).
func ProjectFlag(value string) (string, error) {
	if value == "" {
		return "", FlagErrorf("--project is required: give the project's id (42) or number (P20260105.0001)")
	}
	ref, err := ProjectRef(value)
	if err != nil {
		return "", FlagErrorf("--project: %v", err)
	}
	return ref, nil
}

// TaskRef validates a task or issue argument: an id or a number (T20260105.0002).
func TaskRef(arg string) (string, error) {
	return ref(arg, taskNumber, "task", "T20260105.0002")
}

// TicketRef validates a ticket argument: an id or a number (T20260106.0001).
func TicketRef(arg string) (string, error) {
	return ref(arg, taskNumber, "ticket", "T20260106.0001") // tickets are numbered like tasks
}

func ref(arg string, number func() *regexp.Regexp, what, example string) (string, error) {
	s := strings.TrimSpace(arg)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return s, nil
	}
	if up := strings.ToUpper(s); number().MatchString(up) {
		return up, nil
	}
	return "", FlagErrorf("invalid %s %q: give its id (42) or its number (%s)", what, arg, example)
}

// IDArg validates a plain positive numeric id (attachments, tokens).
func IDArg(arg, what string) (string, error) {
	if n, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64); err == nil && n > 0 {
		return strings.TrimSpace(arg), nil
	}
	return "", FlagErrorf("invalid %s id %q: want a positive number", what, arg)
}
