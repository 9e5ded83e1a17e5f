package cmdutil

import "github.com/spf13/cobra"

const (
	skipAuthCheck        = "skipAuthCheck"
	skipInterruptHandler = "skipInterruptHandler"
	commandGroup         = "commandGroup"
	createsProfile       = "createsProfile"
)

// DisableAuthCheck marks a command (and its subcommands) as usable without
// a token: auth, config, version, completion, help.
func DisableAuthCheck(cmd *cobra.Command) {
	annotate(cmd, skipAuthCheck)
}

// IsAuthCheckEnabled reports whether cmd needs a token before it runs.
// A command group (projects, projects note, …) never does: run bare it
// prints help, and with a mistyped subcommand it is a usage error; neither
// may depend on being logged in.
func IsAuthCheckEnabled(cmd *cobra.Command) bool {
	switch cmd.Name() {
	case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return false
	}
	if cmd.Annotations[commandGroup] == "true" {
		return false
	}
	return !annotated(cmd, skipAuthCheck)
}

// MarkGroup marks cmd as a command group: a command that only holds
// subcommands (its own run prints help or rejects a mistyped name).
func MarkGroup(cmd *cobra.Command) {
	annotate(cmd, commandGroup)
}

// DisableInterruptHandler marks a command (and its subcommands) as one
// that finishes at once with nothing to clean up (version, completion,
// help topics): Ctrl-C may end it the default way, so it does not start
// the signal watcher and its threads.
func DisableInterruptHandler(cmd *cobra.Command) {
	annotate(cmd, skipInterruptHandler)
}

// HandlesInterrupts reports whether Ctrl-C should cancel cmd's context
// (so it stops requests and removes partial files) rather than end the
// process at once.
func HandlesInterrupts(cmd *cobra.Command) bool {
	return cmd.Name() != "help" && !annotated(cmd, skipInterruptHandler)
}

func annotate(cmd *cobra.Command, key string) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[key] = "true"
}

// annotated reports whether cmd or one of its parents carries key.
func annotated(cmd *cobra.Command, key string) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[key] == "true" {
			return true
		}
	}
	return false
}

// CreatesProfile marks a command that may name a profile the config file
// does not have yet (auth login, config set): it creates it. Every other
// command refuses an unknown --profile.
func CreatesProfile(cmd *cobra.Command) {
	annotate(cmd, createsProfile)
}

// MayCreateProfile reports whether cmd may name a profile that does not
// exist: it creates one, or it only prints help.
func MayCreateProfile(cmd *cobra.Command) bool {
	switch cmd.Name() {
	case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return true
	}
	return cmd.Annotations[commandGroup] == "true" || annotated(cmd, createsProfile)
}
