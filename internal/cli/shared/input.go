package shared

import (
	"io"
	"os"
	"strings"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

// Body returns the text of --body, or of --body-file (a path, or - for
// standard input). Giving both is a usage error; required makes one needed.
func Body(ios *iostreams.IOStreams, body, bodyFile string, bodySet, required bool) (string, error) {
	text, err := readBody(ios, body, bodyFile, bodySet, required)
	if err == nil && required && strings.TrimSpace(text) == "" {
		// Caught here, before any request, as the usage mistake it is.
		err = cmdutil.FlagErrorf("the text is blank: give it with --body, or --body-file FILE (- reads standard input)")
	}
	return text, err
}

func readBody(ios *iostreams.IOStreams, body, bodyFile string, bodySet, required bool) (string, error) {
	if bodySet && bodyFile != "" {
		return "", cmdutil.FlagErrorf("give --body or --body-file, not both")
	}
	switch {
	case bodyFile == "-":
		b, err := io.ReadAll(ios.In)
		return string(b), err
	case bodyFile != "":
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return "", cmdutil.FlagErrorf("--body-file: %v", err)
		}
		return string(b), nil
	case !bodySet && required:
		return "", cmdutil.FlagErrorf("give the text with --body, or --body-file FILE (- reads standard input)")
	}
	return body, nil
}

// Confirm prints a one-line confirmation on a terminal (stderr when stdout
// is piped would mix with data, so nothing is printed then). The line may
// quote what the server sent (titles, addresses): its control characters
// are made visible.
func Confirm(ios *iostreams.IOStreams, line string) {
	if ios.IsStdoutTTY() {
		io.WriteString(ios.Out, output.Sanitize(line)+"\n")
	}
}

// DateFlag validates an optional YYYY-MM-DD flag value.
func DateFlag(name, v string) (api.Date, error) {
	if v == "" {
		return "", nil
	}
	d, err := api.ParseDate(v)
	if err != nil {
		return "", cmdutil.FlagErrorf("--%s: %v", name, err)
	}
	return d, nil
}

// Interactive reports whether a change command should print a short
// confirmation (a terminal and no explicit format) instead of the record.
func Interactive(r *Renderer) bool {
	return r.IO.IsStdoutTTY() && r.Flags.Format == "" && r.Flags.JQ == "" && r.Flags.OutputFile == ""
}
