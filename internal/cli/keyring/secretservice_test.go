package keyring_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/internal/testutil/secretservice"
)

// TestRealSecretService stores, reads and deletes a token in a real
// gnome-keyring over D-Bus, the way portalctl does on a Linux desktop.
func TestRealSecretService(t *testing.T) {
	for _, kv := range secretservice.Start(t) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ks := keyring.System()
	if _, err := ks.Get("portalctl:test", "ava"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("empty keyring: %v, want ErrNotFound", err)
	}
	if err := ks.Set("portalctl:test", "ava", "pct_secret"); err != nil {
		t.Fatal(err)
	}
	if got, err := ks.Get("portalctl:test", "ava"); err != nil || got != "pct_secret" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := ks.Delete("portalctl:test", "ava"); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Get("portalctl:test", "ava"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("after Delete: %v, want ErrNotFound", err)
	}
}
