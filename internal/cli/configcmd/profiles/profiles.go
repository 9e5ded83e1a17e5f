// Package profiles implements `portalctl config profiles`.
package profiles

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options are everything profilesRun needs.
type Options struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)
	Output cmdutil.OutputFlags
}

// Profile is one row of the list.
type Profile struct {
	Name    string
	Host    string
	User    string
	Current bool
}

// model is the row model of the list (no secrets: never the token).
var model = output.NewModel(
	output.Shown("name", "Name", func(p *Profile) output.Value { return output.Ident(p.Name) }),
	output.Shown("host", "Host", func(p *Profile) output.Value { return output.Ident(p.Host) }),
	output.Shown("user", "User", func(p *Profile) output.Value { return output.Ident(p.User) }),
	output.Shown("current", "Current", func(p *Profile) output.Value { return output.Bool(p.Current) }),
)

// NewCmdProfiles builds the command; runF replaces profilesRun in flag tests.
func NewCmdProfiles(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the config profiles",
		Long: heredoc.Doc(`
			List the profiles of the config file: their portal host, the signed-in user and
			which one this run uses (--profile, PORTALCTL_PROFILE, else default). A profile
			is created by portalctl auth login --profile NAME (or config set --profile NAME).
		`),
		Example: heredoc.Doc(`
			$ portalctl config profiles
			$ portalctl config profiles -o json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return profilesRun(opts)
		},
	}
	cmdutil.AddOutputFlags(cmd, &opts.Output)
	return cmd
}

func profilesRun(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	def, _ := cfg.Get("output")
	o, err := opts.Output.Options(opts.IO, def, "", "")
	if err != nil {
		return err
	}
	var rows []Profile
	for _, name := range cfg.ProfileNames() {
		p := cfg.ProfileOf(name)
		rows = append(rows, Profile{Name: name, Host: p.Host, User: p.User, Current: name == cfg.ProfileName()})
	}
	w, commit, abort, err := opts.Output.Destination(opts.IO)
	if err != nil {
		return err
	}
	if err := output.WriteSlice(w, model, o, rows); err != nil {
		abort()
		return err
	}
	return commit()
}
