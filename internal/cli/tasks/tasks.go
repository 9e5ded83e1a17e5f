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
	}
	cmd.AddCommand(open.NewCmdOpen(f, nil), view.NewCmdView(f, nil), note.NewCmdNote(f, nil),
		complete.NewCmdComplete(f, nil), reply.NewCmdReply(f, nil))
	return cmd
}
