package config

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

// Token sources, as `auth status` names them.
const (
	SourceEnv     = "PORTALCTL_TOKEN"
	SourceKeyring = "keyring"
	SourceFile    = "config file"
)

// KeyringService is the keyring entry name for a portal: portalctl:<host>.
func KeyringService(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		return "portalctl:" + u.Host
	}
	return "portalctl:" + baseURL
}

// Token finds the token: PORTALCTL_TOKEN, then the keyring, then the config
// file (only present when the user chose --insecure-storage). The keyring is
// never touched when the environment variable is set, so CI runs stay fast.
func (c *Config) Token(kr keyring.Store) (token, source string, err error) {
	if t := c.getenv("PORTALCTL_TOKEN"); t != "" {
		return t, SourceEnv, nil
	}
	p := c.Profile()
	if p.Token == "" && p.User == "" {
		return "", "", cmdutil.ErrNotLoggedIn
	}
	host, err := c.Host()
	if err != nil {
		return "", "", err
	}
	// A stored token belongs to the host it was issued by: --host or
	// PORTALCTL_HOST pointing elsewhere must never receive it.
	if stored, err := NormalizeHost(p.Host); err != nil || stored != host {
		return "", "", cmdutil.WithHint(cmdutil.ErrNotLoggedIn, fmt.Sprintf(
			"profile %q is logged in to %s, not %s; run `portalctl auth login --host %s` or use --profile", c.profileName, p.Host, host, host))
	}
	if p.Token != "" {
		return p.Token, SourceFile, nil
	}
	t, err := kr.Get(KeyringService(host), p.User)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", "", cmdutil.ErrNotLoggedIn
	}
	if err != nil {
		return "", "", KeyringUnavailable(err)
	}
	return t, SourceKeyring, nil
}

// KeyringUnavailable explains what to do when the keyring cannot be used.
// There is no silent fallback to storing the token in plain text.
func KeyringUnavailable(err error) error {
	return cmdutil.WithHint(fmt.Errorf("%w", err),
		"set PORTALCTL_TOKEN, or log in with --insecure-storage to keep the token in the config file (mode 0600)")
}

// StoreToken saves the token for the active profile, in the keyring or, with
// insecure, in the config file; it records user and host. Call Save after.
func (c *Config) StoreToken(kr keyring.Store, host, user, token string, insecure bool) error {
	p := c.Profile()
	if insecure {
		p.Token = token
	} else {
		if err := kr.Set(KeyringService(host), user, token); err != nil {
			return KeyringUnavailable(err)
		}
		p.Token = ""
	}
	p.Host, p.User = host, user
	return nil
}

// DeleteToken removes the stored token of the active profile (keyring and
// file). A keyring that holds nothing is not an error. Call Save after.
func (c *Config) DeleteToken(kr keyring.Store) error {
	p := c.Profile()
	var err error
	if p.User != "" && p.Host != "" {
		if kerr := kr.Delete(KeyringService(p.Host), p.User); kerr != nil && !errors.Is(kerr, keyring.ErrNotFound) && p.Token == "" {
			err = KeyringUnavailable(kerr)
		}
	}
	p.Token, p.User = "", ""
	return err
}
