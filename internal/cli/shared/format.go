package shared

import "github.com/portalctl/portalctl/pkg/output"

// Format is the output format this run resolves to (-o, then the output
// setting, then a table on a terminal and TSV otherwise), for a command
// whose rows depend on it; it asks the server nothing.
func (r *Renderer) Format() (output.Format, error) {
	var def string
	if r.Config != nil {
		cfg, err := r.Config()
		if err != nil {
			return "", err
		}
		def, _ = cfg.Get("output")
	}
	opts, err := r.Flags.Options(r.IO, def, "", "")
	return opts.Format, err
}
