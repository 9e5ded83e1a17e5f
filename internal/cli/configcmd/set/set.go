// Package set implements `portalctl config set KEY VALUE`.
package set

import (
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

// Options are everything setRun needs.
type Options struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)
	Key    string
	Value  string
}

// NewCmdSet builds the command; runF replaces setRun in flag tests.
func NewCmdSet(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change one setting",
		Long:  "Change a setting in the current profile. An empty VALUE (\"\") removes the setting.",
		Example: "$ portalctl config set host https://portal.example.com\n" +
			"$ portalctl config set output csv\n$ portalctl config set tz Europe/Berlin",
		Args: cmdutil.ExactArgs(2, "give a setting and a value, e.g. `portalctl config set output json`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key, opts.Value = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return setRun(opts)
		},
	}
	cmdutil.CreatesProfile(cmd) // `config set --profile staging host …` starts a profile
	return cmd
}

func setRun(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	if err := cfg.Set(opts.Key, opts.Value); err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	return cfg.Save()
}
