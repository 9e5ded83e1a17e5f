package shared

import (
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/pkg/api"
)

// DateRange parses --from and --to (each optional), refusing a --to
// before --from.
func DateRange(from, to string) (api.Date, api.Date, error) {
	f, err := DateFlag("from", from)
	if err != nil {
		return "", "", err
	}
	t, err := DateFlag("to", to)
	if err != nil {
		return "", "", err
	}
	if f != "" && t != "" && t < f {
		return "", "", cmdutil.FlagErrorf("--to %s is before --from %s", t, f)
	}
	return f, t, nil
}
