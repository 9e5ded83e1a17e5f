package root

import (
	"github.com/spf13/cobra"

	apicmd "github.com/portalctl/portalctl/internal/cli/api"
	"github.com/portalctl/portalctl/internal/cli/attachment"
	"github.com/portalctl/portalctl/internal/cli/auth"
	"github.com/portalctl/portalctl/internal/cli/calendar"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/completion"
	"github.com/portalctl/portalctl/internal/cli/configcmd"
	"github.com/portalctl/portalctl/internal/cli/endclient"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/issue"
	"github.com/portalctl/portalctl/internal/cli/projects"
	"github.com/portalctl/portalctl/internal/cli/tasks"
	"github.com/portalctl/portalctl/internal/cli/team"
	"github.com/portalctl/portalctl/internal/cli/version"
)

// The help groups of `portalctl --help`.
const (
	groupSetup = "setup"
	groupCore  = "core"
)

// topLevelCommand is one command under the root, with the names that reach
// it, so that a run can build only the command its arguments name (see
// NewCmdRootFor). TestTopLevelNames keeps names equal to what build makes.
type topLevelCommand struct {
	names []string // the name, then the aliases
	group string   // groupSetup, groupCore, or "" for hidden help topics
	build func(*factory.Factory) *cobra.Command
}

// topLevelCommands are every command under the root. A new noun package
// exports NewCmd<Noun>(f *factory.Factory) *cobra.Command and is listed
// here, in the "core" group.
func topLevelCommands() []topLevelCommand {
	return []topLevelCommand{
		{names: []string{"auth"}, group: groupSetup, build: auth.NewCmdAuth},
		{names: []string{"config"}, group: groupSetup, build: configcmd.NewCmdConfig},
		{names: []string{"completion"}, group: groupSetup, build: newCmdCompletion},
		{names: []string{"version"}, group: groupSetup, build: version.NewCmdVersion},
		{names: []string{"api"}, group: groupSetup, build: func(f *factory.Factory) *cobra.Command { return apicmd.NewCmdAPI(f, nil) }},

		{names: []string{"projects", "project"}, group: groupCore, build: projects.NewCmdProjects},
		{names: []string{"tasks", "task"}, group: groupCore, build: tasks.NewCmdTasks},
		{names: []string{"issue", "issues"}, group: groupCore, build: issue.NewCmdIssue},
		{names: []string{"team"}, group: groupCore, build: team.NewCmdTeam},
		{names: []string{"endclient"}, group: groupCore, build: endclient.NewCmdEndClient},
		{names: []string{"attachment", "attachments"}, group: groupCore, build: attachment.NewCmdAttachment},
		{names: []string{"calendar"}, group: groupCore, build: calendar.NewCmdCalendar},

		{names: []string{"environment"}, build: helpTopic("environment")},
		{names: []string{"exit-codes"}, build: helpTopic("exit-codes")},
	}
}

// newCmdCompletion is `portalctl completion`, which prints a script at once.
func newCmdCompletion(f *factory.Factory) *cobra.Command {
	cmd := completion.NewCmdCompletion(f)
	cmdutil.DisableInterruptHandler(cmd)
	return cmd
}
