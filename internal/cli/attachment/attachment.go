// Package attachment wires the `portalctl attachment` verbs.
package attachment

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/attachment/download"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// NewCmdAttachment builds `portalctl attachment`.
func NewCmdAttachment(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "attachment <command>", Aliases: []string{"attachments"}, Short: "Download project attachments",
		Long:    "Download the files attached to your projects. List them with `portalctl projects attachments ID`.",
		Example: "$ portalctl attachment download 900 -O plan.txt"}
	cmd.AddCommand(download.NewCmdDownload(f, nil))
	return cmd
}
