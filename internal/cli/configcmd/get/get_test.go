package get

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

func TestNewCmdGet(t *testing.T) {
	tests := []struct {
		args     []string
		wantKey  string
		wantExit int
	}{
		{[]string{"host"}, "host", 0},
		{nil, "", cmdutil.ExitUsage},
		{[]string{"host", "output"}, "", cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *Options
		cmd := NewCmdGet(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		_, err := cmd.ExecuteC()
		require.Equal(t, tt.wantExit, cmdutil.ExitCode(err))
		if tt.wantExit == 0 {
			assert.Equal(t, tt.wantKey, got.Key)
		}
	}
}

func TestGetRun(t *testing.T) {
	t.Parallel()
	getenv := func(k string) string { return map[string]string{"XDG_CONFIG_HOME": t.TempDir()}[k] }
	cfg, err := config.Load(getenv, "", "")
	require.NoError(t, err)
	require.NoError(t, cfg.Set("output", "csv"))
	tests := []struct {
		key      string
		wantOut  string
		wantExit int
	}{
		{"output", "csv\n", 0},
		{"tz", "", 0},
		{"colour", "", cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		ios, _, out, _ := iostreams.Test()
		err := getRun(&Options{IO: ios, Key: tt.key, Config: func() (*config.Config, error) { return cfg, nil }})
		assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), tt.key)
		assert.Equal(t, tt.wantOut, out.String())
	}
}
