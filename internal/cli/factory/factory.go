// Package factory wires the real dependencies commands receive: streams,
// config, keyring and the API client. Fields are functions so nothing is
// loaded (no file read, no keyring call) until a command needs it.
package factory

import (
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/portalctl/portalctl/internal/cli/browser"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/client"
)

// Factory is handed to every NewCmd* constructor.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Config loads the config file once, honouring --profile and --host.
	Config func() (*config.Config, error)
	// Client returns the authenticated API client (token looked up once).
	Client  func() (*client.Client, error)
	Keyring keyring.Store
	Browser browser.Browser
	Now     func() time.Time
	Version string
	Getenv  func(string) string

	// Global flags, bound by the root command before Config/Client run.
	HostFlag    string
	ProfileFlag string
	// Transport replaces the HTTP transport (tests); nil = the real network.
	Transport http.RoundTripper
	// InterruptSignals cancel a running command's context (Ctrl-C, SIGTERM)
	// instead of ending the process; nil (tests) leaves signals alone.
	InterruptSignals []os.Signal
}

// New builds the production factory.
func New(version string) *Factory {
	ios := iostreams.System()
	f := &Factory{
		IOStreams: ios,
		Keyring:   keyring.System(),
		Browser:   browser.System(os.Getenv, ios.ErrOut),
		Now:       time.Now,
		Version:   version,
		Getenv:    os.Getenv,

		InterruptSignals: []os.Signal{os.Interrupt, syscall.SIGTERM},
	}
	f.Config = cachedConfig(f)
	f.Client = cachedClient(f)
	return f
}

func cachedConfig(f *Factory) func() (*config.Config, error) {
	var cfg *config.Config
	var err error
	return func() (*config.Config, error) {
		if cfg == nil && err == nil {
			cfg, err = config.Load(f.Getenv, f.ProfileFlag, f.HostFlag)
		}
		return cfg, err
	}
}

func cachedClient(f *Factory) func() (*client.Client, error) {
	var c *client.Client
	var err error
	return func() (*client.Client, error) {
		if c == nil && err == nil {
			c, err = f.newClient()
		}
		return c, err
	}
}

func (f *Factory) newClient() (*client.Client, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	// The token first: with neither a token nor a host the user is simply
	// not logged in (exit 4), which is the more useful message.
	token, _, err := cfg.Token(f.Keyring)
	if err != nil {
		return nil, err
	}
	host, err := cfg.Host()
	if err != nil {
		return nil, cmdutil.FlagErrorWrap(err) // a missing --host is a usage error
	}
	return f.ClientFor(host, token)
}

// ClientFor is a client of this run for host and token; auth login, status
// and logout build theirs with it before (or without) a stored token. An
// invalid PORTALCTL_TIMEOUT is a usage error here as for every command.
func (f *Factory) ClientFor(host, token string) (*client.Client, error) {
	opts, err := f.clientOptions(host, token)
	if err != nil {
		return nil, err
	}
	return client.New(opts)
}

// timeout reads PORTALCTL_TIMEOUT: how long portalctl waits for the portal
// (a call with its retries, or a silence in a streamed export). 0 = the
// client's default.
func (f *Factory) timeout() (time.Duration, error) {
	v := strings.TrimSpace(f.Getenv("PORTALCTL_TIMEOUT"))
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, cmdutil.FlagErrorf("PORTALCTL_TIMEOUT=%s is not a duration: use e.g. 30s or 2m", v)
	}
	return d, nil
}

// clientOptions are the options every client of this run uses.
func (f *Factory) clientOptions(host, token string) (client.Options, error) {
	timeout, err := f.timeout()
	if err != nil {
		return client.Options{}, err
	}
	opts := client.Options{
		BaseURL:   host,
		Token:     token,
		UserAgent: "portalctl/" + f.Version,
		Transport: f.Transport,
		Retries:   3,
		Timeout:   timeout,
	}
	if d := f.Getenv("PORTALCTL_DEBUG"); d == "api" || d == "1" || strings.EqualFold(d, "true") {
		opts.Debug = f.IOStreams.ErrOut
	}
	return opts, nil
}
