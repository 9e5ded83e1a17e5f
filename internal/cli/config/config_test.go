package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

func env(t *testing.T, kv ...string) func(string) string {
	m := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestSaveAndReload(t *testing.T) {
	t.Parallel()
	getenv := env(t)
	c, err := Load(getenv, "staging", "")
	require.NoError(t, err)
	require.NoError(t, c.Set("host", "staging.example.com"))
	require.NoError(t, c.Set("output", "JSON"))
	require.NoError(t, c.Save())

	info, err := os.Stat(filepath.Join(getenv("XDG_CONFIG_HOME"), "portalctl", "config.yaml"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	again, err := Load(getenv, "staging", "")
	require.NoError(t, err)
	host, err := again.Host()
	require.NoError(t, err)
	assert.Equal(t, "https://staging.example.com", host)
	out, _ := again.Get("output")
	assert.Equal(t, "json", out)
	other, err := Load(getenv, "", "")
	require.NoError(t, err)
	assert.Equal(t, DefaultProfile, other.ProfileName())
	_, err = other.Host()
	assert.ErrorIs(t, err, ErrNoHost)
}

func TestHostPrecedence(t *testing.T) {
	t.Parallel()
	getenv := env(t, "PORTALCTL_HOST", "env.example.com")
	c, err := Load(getenv, "", "")
	require.NoError(t, err)
	c.Profile().Host = "https://file.example.com"
	h, _ := c.Host()
	assert.Equal(t, "https://env.example.com", h)
	c.hostFlag = "http://localhost:8080/"
	h, _ = c.Host()
	assert.Equal(t, "http://localhost:8080", h)
}

func TestSetRejectsBadValues(t *testing.T) {
	t.Parallel()
	c, err := Load(env(t), "", "")
	require.NoError(t, err)
	for _, kv := range [][2]string{{"colour", "x"}, {"output", "xml"}, {"tz", "Mars/Base"}, {"host", "ftp://x"}} {
		assert.Error(t, c.Set(kv[0], kv[1]), kv[0])
	}
	assert.EqualError(t, c.Set("colour", "x"), `unknown config key "colour": valid keys are host, output, tz`)
	require.NoError(t, c.Set("tz", "Europe/Berlin"))
	require.NoError(t, c.Set("tz", ""))
	tz, _ := c.Get("tz")
	assert.Equal(t, "", tz)
}

func TestInvalidYAML(t *testing.T) {
	t.Parallel()
	getenv := env(t)
	path, _ := Path(getenv)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte("profiles: [unclosed"), 0o600))
	_, err := Load(getenv, "", "")
	assert.ErrorContains(t, err, "is not valid YAML")
}

// Token lookup order. Not parallel: the keyring mock is global.
func TestTokenLookup(t *testing.T) {
	keyring.MockInit()
	kr := keyring.System()
	require.NoError(t, kr.Set("portalctl:portal.example.com", "jdoe", "from-keyring"))

	c, _ := Load(env(t, "PORTALCTL_TOKEN", "from-env"), "", "")
	c.Profile().Host = "https://portal.example.com"
	c.Profile().User = "jdoe"
	tok, src, err := c.Token(kr)
	require.NoError(t, err)
	assert.Equal(t, [2]string{"from-env", SourceEnv}, [2]string{tok, src})

	c, _ = Load(env(t), "", "")
	c.Profile().Host, c.Profile().User = "https://portal.example.com", "jdoe"
	tok, src, err = c.Token(kr)
	require.NoError(t, err)
	assert.Equal(t, [2]string{"from-keyring", SourceKeyring}, [2]string{tok, src})

	c.Profile().User = "someone-else"
	_, _, err = c.Token(kr)
	assert.ErrorIs(t, err, cmdutil.ErrNotLoggedIn)

	// The environment token means the keyring is never asked, even a broken one.
	keyring.MockInitWithError(assert.AnError)
	t.Cleanup(keyring.MockInit)
	c, _ = Load(env(t, "PORTALCTL_TOKEN", "from-env"), "", "")
	c.Profile().Host, c.Profile().User = "https://portal.example.com", "jdoe"
	_, src, err = c.Token(kr)
	require.NoError(t, err)
	assert.Equal(t, SourceEnv, src)

	c, _ = Load(env(t), "", "")
	c.Profile().Host, c.Profile().User = "https://portal.example.com", "jdoe"
	_, _, err = c.Token(kr)
	assert.ErrorContains(t, err, "keyring is unavailable")
	assert.Contains(t, cmdutil.Hint(err), "--insecure-storage")
}

func TestStoreTokenInsecure(t *testing.T) {
	keyring.MockInitWithError(assert.AnError)
	t.Cleanup(keyring.MockInit)
	kr := keyring.System()
	c, _ := Load(env(t), "", "")
	err := c.StoreToken(kr, "https://portal.example.com", "jdoe", "tok", false)
	assert.ErrorContains(t, err, "keyring is unavailable")
	assert.Equal(t, "", c.Profile().Token, "no silent plain-text fallback")
	require.NoError(t, c.StoreToken(kr, "https://portal.example.com", "jdoe", "tok", true))
	tok, src, err := c.Token(kr)
	require.NoError(t, err)
	assert.Equal(t, [2]string{"tok", SourceFile}, [2]string{tok, src})
	require.NoError(t, c.DeleteToken(kr))
	_, _, err = c.Token(kr)
	assert.ErrorIs(t, err, cmdutil.ErrNotLoggedIn)
}

// A stored token is never handed to a different host.
func TestTokenStaysWithItsHost(t *testing.T) {
	keyring.MockInit()
	kr := keyring.System()
	for _, insecure := range []bool{false, true} {
		c, _ := Load(env(t, "PORTALCTL_HOST", "https://evil.example.com"), "", "")
		require.NoError(t, c.StoreToken(kr, "https://portal.example.com", "jdoe", "tok", insecure))
		_, _, err := c.Token(kr)
		assert.ErrorIs(t, err, cmdutil.ErrNotLoggedIn)
		assert.Contains(t, cmdutil.Hint(err), "logged in to https://portal.example.com, not https://evil.example.com")
	}
}
