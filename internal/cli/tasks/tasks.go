// Package tasks wires the `portalctl tasks` verbs.
package tasks

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/tasks/complete"
	"github.com/portalctl/portalctl/internal/cli/tasks/note"
	"github.com/portalctl/portalctl/internal/cli/tasks/open"
	"github.com/portalctl/portalctl/internal/cli/tasks/reply"
	"github.com/portalctl/portalctl/internal/cli/tasks/view"
)

// NewCmdTasks builds `portalctl tasks`.
func NewCmdTasks(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tasks <command>",
		Aliases: []string{"task"},
		Short:   "Work with your open tasks: view, add notes, complete, reply",
		Long:    "Work with the tasks waiting for you (My Open Tasks). Tasks are addressed by id or number.",
		Example: "$ portalctl tasks open\n$ portalctl tasks note T20260105.0001 --subject Licences --message \"42 confirmed\"",
	}
	cmd.AddCommand(open.NewCmdOpen(f, nil), view.NewCmdView(f, nil), note.NewCmdNote(f, nil),
		complete.NewCmdComplete(f, nil), reply.NewCmdReply(f, nil))
	return cmd
}
