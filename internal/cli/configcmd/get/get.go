// Package get implements `portalctl config get KEY`.
package get

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

// Options are everything getRun needs.
type Options struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)
	Key    string
}

// NewCmdGet builds the command; runF replaces getRun in flag tests.
func NewCmdGet(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config}
	return &cobra.Command{
		Use:       "get KEY",
		Short:     "Print one setting",
		Long:      "Print the value of a setting in the current profile; nothing when it is unset.",
		Example:   "$ portalctl config get host",
		ValidArgs: keyNames(),
		Args:      cmdutil.ExactArgs(1, "name the setting to print, e.g. `portalctl config get host`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			if runF != nil {
				return runF(opts)
			}
			return getRun(opts)
		},
	}
}

func getRun(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	v, err := cfg.Get(opts.Key)
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	if v != "" {
		_, err = fmt.Fprintln(opts.IO.Out, v)
	}
	return err
}

func keyNames() []string {
	names := make([]string, len(config.Keys))
	for i, k := range config.Keys {
		names[i] = k.Name
	}
	return names
}
