package root

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/attachment"
	"github.com/portalctl/portalctl/internal/cli/endclient"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/issue"
	"github.com/portalctl/portalctl/internal/cli/projects"
	"github.com/portalctl/portalctl/internal/cli/tasks"
	"github.com/portalctl/portalctl/internal/cli/team"
)

// resourceCommands are the portal commands (projects, tasks, issue, team,
// endclient, attachment). Each noun package exports
// NewCmd<Noun>(f *factory.Factory) *cobra.Command and is listed here.
func resourceCommands(f *factory.Factory) []*cobra.Command {
	return []*cobra.Command{
		projects.NewCmdProjects(f),
		tasks.NewCmdTasks(f),
		issue.NewCmdIssue(f),
		team.NewCmdTeam(f),
		endclient.NewCmdEndClient(f),
		attachment.NewCmdAttachment(f),
	}
}
