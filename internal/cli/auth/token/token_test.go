package token

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

func TestNewCmdToken(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdToken(&factory.Factory{IOStreams: ios}, func(*Options) error { return nil })
	cmd.SetArgs([]string{"extra"})
	_, err := cmd.ExecuteC()
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
}

// Not parallel: the keyring mock is global.
func TestTokenRun(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		stored   bool
		wantOut  string
		wantExit int
	}{
		{name: "from keyring", stored: true, wantOut: "kr-token\n"},
		{name: "from environment", env: map[string]string{"PORTALCTL_TOKEN": "env-token"}, stored: true, wantOut: "env-token\n"},
		{name: "not logged in", wantExit: cmdutil.ExitNotAuthed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInit()
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_HOST": "portal.example.com"}
			for k, v := range tt.env {
				env[k] = v
			}
			getenv := func(k string) string { return env[k] }
			cfg, err := config.Load(getenv, "", "")
			require.NoError(t, err)
			if tt.stored {
				require.NoError(t, cfg.StoreToken(keyring.System(), "https://portal.example.com", "jdoe", "kr-token", false))
			}
			ios, _, out, _ := iostreams.Test()
			err = tokenRun(&Options{IO: ios, Keyring: keyring.System(),
				Config: func() (*config.Config, error) { return cfg, nil }})
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err))
			assert.Equal(t, tt.wantOut, out.String())
		})
	}
}
