package factory

import (
	"bytes"
	"net/http"
	"time"

	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

// NewTest builds a factory for tests of whole command lines: buffer streams
// (not terminals), the environment from env (set XDG_CONFIG_HOME to a
// t.TempDir()), HTTP through rt, a fixed clock, and the keyring package's
// backend (call keyring.MockInit first).
func NewTest(env map[string]string, rt http.RoundTripper) (f *Factory, in, out, errOut *bytes.Buffer) {
	ios, in, out, errOut := iostreams.Test()
	f = &Factory{
		IOStreams: ios,
		Keyring:   keyring.System(),
		Now:       func() time.Time { return time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC) },
		Version:   "1.2.3",
		Getenv:    func(k string) string { return env[k] },
		Transport: rt,
	}
	f.Config = cachedConfig(f)
	f.Client = cachedClient(f)
	return f, in, out, errOut
}
