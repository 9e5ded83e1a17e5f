// Package calendar wires the `portalctl calendar` verbs: subscribing a
// calendar app to the portal's iCalendar feed, and exporting it.
package calendar

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/calendar/export"
	"github.com/portalctl/portalctl/internal/cli/calendar/list"
	"github.com/portalctl/portalctl/internal/cli/calendar/subscribe"
	"github.com/portalctl/portalctl/internal/cli/calendar/unsubscribe"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// NewCmdCalendar builds `portalctl calendar`.
func NewCmdCalendar(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calendar <command>",
		Short: "Subscribe your calendar app to your portal calendar, or export it",
		Long: "Your portal calendar: the events of your projects' calendars, your projects' start and end " +
			"dates and the due dates of your open tasks, as an iCalendar (.ics) feed that Outlook, Google " +
			"Calendar or Apple Calendar can subscribe to.",
		Example: "$ portalctl calendar subscribe\n$ portalctl calendar export --output-file portal.ics",
	}
	cmd.AddCommand(subscribe.NewCmdSubscribe(f, nil), list.NewCmdList(f, nil), unsubscribe.NewCmdUnsubscribe(f, nil),
		export.NewCmdExport(f, nil))
	return cmd
}
