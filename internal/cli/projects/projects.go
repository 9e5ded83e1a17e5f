// Package projects wires the `portalctl projects` verbs.
package projects

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/projects/attachments"
	"github.com/portalctl/portalctl/internal/cli/projects/calendar"
	"github.com/portalctl/portalctl/internal/cli/projects/list"
	"github.com/portalctl/portalctl/internal/cli/projects/noteadd"
	"github.com/portalctl/portalctl/internal/cli/projects/notes"
	"github.com/portalctl/portalctl/internal/cli/projects/schedule"
	"github.com/portalctl/portalctl/internal/cli/projects/view"
)

// NewCmdProjects builds `portalctl projects`.
func NewCmdProjects(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "projects <command>",
		Aliases: []string{"project"},
		Short:   "List and view your projects, their schedules, notes, attachments and calendars",
		Long:    "Work with My Projects: the client projects you can see in the portal. Projects are addressed by id or number.",
		Example: "$ portalctl projects list\n$ portalctl projects schedule P20260105.0001",
	}
	note := &cobra.Command{Use: "note <command>", Short: "Add notes to a project",
		Long: "Add a note to one of your projects (needs the notes permission).", Example: "$ portalctl projects note add 1 --title Go-live --body \"Agreed for March.\""}
	note.AddCommand(noteadd.NewCmdAdd(f, nil))
	cmd.AddCommand(list.NewCmdList(f, nil), view.NewCmdView(f, nil), schedule.NewCmdSchedule(f, nil),
		notes.NewCmdNotes(f, nil), note, attachments.NewCmdAttachments(f, nil), calendar.NewCmdCalendar(f, nil))
	return cmd
}
