package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/testutil/secretservice"
)

// TestLoginStoresTheTokenInTheSystemKeyring logs in against a real
// gnome-keyring: the token goes to the keyring, never to the config file,
// and logout removes it.
func TestLoginStoresTheTokenInTheSystemKeyring(t *testing.T) {
	s := startServer(t)
	ava := s.newUser(t, "ava")
	for _, kv := range secretservice.Start(t) {
		if !strings.HasPrefix(kv, "HOME=") { // keep ava's own home and config dir
			ava.env = append(ava.env, kv)
		}
	}
	r := ava.run("demo\n", "auth", "login", "--host", s.URL, "--username", "ava", "--password-stdin")
	if r.Code != 0 || !strings.Contains(r.Stderr, "keyring") {
		t.Fatalf("login with a keyring: %+v", r)
	}
	secret := strings.TrimSpace(ava.ok("auth", "token"))
	config := readFile(t, filepath.Join(ava.home, ".config", "portalctl", "config.yaml"))
	if !strings.HasPrefix(secret, "pct_") || strings.Contains(config, secret) {
		t.Fatalf("token %q must be in the keyring only; config file:\n%s", secret, config)
	}
	if out := ava.ok("projects", "list", "-o", "csv"); !strings.Contains(out, "P20260105.0001") {
		t.Errorf("projects list with the keyring token: %q", out)
	}
	ava.ok("auth", "logout")
	ava.fails(4, nil, "auth", "token")
}

// TestNoKeyringIsAClearError: on a machine without a Secret Service, login
// says how to go on (--insecure-storage or PORTALCTL_TOKEN) and stores nothing.
func TestNoKeyringIsAClearError(t *testing.T) {
	s := startServer(t)
	ben := s.newUser(t, "ben")
	r := ben.run("demo\n", "auth", "login", "--host", s.URL, "--username", "ben", "--password-stdin")
	if r.Code == 0 || !strings.Contains(r.Stderr, "--insecure-storage") || !strings.Contains(r.Stderr, "PORTALCTL_TOKEN") {
		t.Fatalf("login without a keyring: %+v", r)
	}
	if b, err := os.ReadFile(filepath.Join(ben.home, ".config", "portalctl", "config.yaml")); err == nil && strings.Contains(string(b), "pct_") {
		t.Errorf("a failed login stored a token:\n%s", b)
	}
}
