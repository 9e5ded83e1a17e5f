// Package list implements `portalctl config list`.
package list

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

// Options are everything listRun needs.
type Options struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)
}

// NewCmdList builds the command; runF replaces listRun in flag tests.
func NewCmdList(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config}
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "Print every setting of the current profile",
		Long:    "Print every setting of the current profile as key=value lines (unset ones are empty).",
		Example: "$ portalctl config list\n$ portalctl config list --profile staging",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
}

func listRun(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	for _, k := range config.Keys {
		v, _ := cfg.Get(k.Name)
		if _, err := fmt.Fprintf(opts.IO.Out, "%s=%s\n", k.Name, v); err != nil {
			return err
		}
	}
	return nil
}
