// Package version implements `portalctl version`.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/buildinfo"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
)

// Format is the one version line, shared by `version` and `--version`.
// Development builds say so, so a bug report shows it.
func Format(version string) string {
	if version == "dev" || version == "" {
		return fmt.Sprintf("portalctl dev (development build, commit %s, built %s)\n", buildinfo.Commit, buildinfo.Date)
	}
	return fmt.Sprintf("portalctl %s (commit %s, built %s)\n", version, buildinfo.Commit, buildinfo.Date)
}

// NewCmdVersion builds `portalctl version`.
func NewCmdVersion(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print the portalctl version",
		Long:    "Print the version, commit and build date of this portalctl binary.",
		Example: "$ portalctl version\n$ portalctl --version",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(f.IOStreams.Out, Format(f.Version))
			return err
		},
	}
	cmdutil.DisableAuthCheck(cmd)
	cmdutil.DisableInterruptHandler(cmd)
	return cmd
}
