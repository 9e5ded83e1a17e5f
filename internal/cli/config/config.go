// Package config reads and writes $XDG_CONFIG_HOME/portalctl/config.yaml:
// one section per profile (several portals or accounts), each with a host,
// the signed-in user and preferences. Tokens live in the system keyring;
// the file holds one only when the user chose --insecure-storage.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/portalctl/portalctl/pkg/output"
)

// DefaultProfile is used when neither --profile nor PORTALCTL_PROFILE is set.
const DefaultProfile = "default"

// Profile is one portal account.
type Profile struct {
	Host   string `yaml:"host,omitempty"`
	User   string `yaml:"user,omitempty"`
	Token  string `yaml:"token,omitempty"` // only with --insecure-storage
	Output string `yaml:"output,omitempty"`
	TZ     string `yaml:"tz,omitempty"`
}

type file struct {
	Profiles map[string]*Profile `yaml:"profiles"`
}

// Config is the loaded file plus the profile and host chosen for this run.
type Config struct {
	path        string
	data        file
	profileName string
	hostFlag    string
	getenv      func(string) string
}

// Path returns where the config file lives: $XDG_CONFIG_HOME/portalctl/config.yaml,
// else ~/.config/portalctl/config.yaml.
func Path(getenv func(string) string) (string, error) {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find the config directory: set XDG_CONFIG_HOME (%w)", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "portalctl", "config.yaml"), nil
}

// Load reads the config file (a missing file is an empty config). profile
// and hostFlag are the --profile and --host values ("" when not given).
func Load(getenv func(string) string, profile, hostFlag string) (*Config, error) {
	path, err := Path(getenv)
	if err != nil {
		return nil, err
	}
	if profile == "" {
		profile = getenv("PORTALCTL_PROFILE")
	}
	if profile == "" {
		profile = DefaultProfile
	}
	c := &Config{path: path, profileName: profile, hostFlag: hostFlag, getenv: getenv}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("cannot read config: %w", err)
	default:
		if err := yaml.Unmarshal(b, &c.data); err != nil {
			return nil, fmt.Errorf("config file %s is not valid YAML: %v", path, err)
		}
	}
	if c.data.Profiles == nil {
		c.data.Profiles = map[string]*Profile{}
	}
	return c, nil
}

// ProfileNames lists the profiles in the file, sorted.
func (c *Config) ProfileNames() []string {
	names := make([]string, 0, len(c.data.Profiles))
	for n := range c.data.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// HasProfile reports whether the file has a profile of that name.
func (c *Config) HasProfile(name string) bool {
	_, ok := c.data.Profiles[name]
	return ok
}

// ProfileOf returns a profile of the file, or nil.
func (c *Config) ProfileOf(name string) *Profile { return c.data.Profiles[name] }

// FilePath is the config file's path.
func (c *Config) FilePath() string { return c.path }

// ProfileName is the profile this run uses.
func (c *Config) ProfileName() string { return c.profileName }

// Profile returns the active profile, creating it in memory when missing.
func (c *Config) Profile() *Profile {
	p, ok := c.data.Profiles[c.profileName]
	if !ok {
		p = &Profile{}
		c.data.Profiles[c.profileName] = p
	}
	return p
}

// ErrNoHost means no portal URL was configured.
var ErrNoHost = errors.New("no portal host configured: pass --host URL, set PORTALCTL_HOST, or run `portalctl auth login --host URL`")

// Host returns the portal base URL: --host, then PORTALCTL_HOST, then the profile.
func (c *Config) Host() (string, error) {
	for _, h := range []string{c.hostFlag, c.getenv("PORTALCTL_HOST"), c.Profile().Host} {
		if h != "" {
			return NormalizeHost(h)
		}
	}
	return "", ErrNoHost
}

// NormalizeHost turns "portal.example.com" into "https://portal.example.com"
// and rejects anything that is not an http(s) URL of a host.
func NormalizeHost(h string) (string, error) {
	h = strings.TrimRight(strings.TrimSpace(h), "/")
	if !strings.Contains(h, "://") {
		h = "https://" + h
	}
	u, err := url.Parse(h)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return "", fmt.Errorf("invalid host %q: want a URL such as https://portal.example.com", h)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.Path, "/"), nil
}

// Save writes the file atomically with mode 0600 (it may hold a token).
func (c *Config) Save() error {
	b, err := yaml.Marshal(&c.data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return fmt.Errorf("cannot create config directory: %w", err)
	}
	f, err := output.AtomicFileMode(c.path, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write config: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Abort()
		return fmt.Errorf("cannot write config: %w", err)
	}
	return f.Commit()
}
