package set

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

func TestNewCmdSet(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		wantExit int
	}{{[]string{"output", "json"}, 0}, {[]string{"output"}, cmdutil.ExitUsage}} {
		ios, _, _, _ := iostreams.Test()
		var got *Options
		cmd := NewCmdSet(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		_, err := cmd.ExecuteC()
		require.Equal(t, tt.wantExit, cmdutil.ExitCode(err))
		if tt.wantExit == 0 {
			assert.Equal(t, [2]string{"output", "json"}, [2]string{got.Key, got.Value})
		}
	}
}

func TestSetRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"XDG_CONFIG_HOME": dir}[k] }
	load := func() (*config.Config, error) { return config.Load(getenv, "work", "") }
	tests := []struct {
		key, value string
		wantExit   int
		wantErr    string
	}{
		{"host", "portal.example.com", 0, ""},
		{"output", "xml", cmdutil.ExitUsage, `invalid output "xml": valid values are table, csv, tsv, json, ndjson`},
		{"tz", "Nowhere/City", cmdutil.ExitUsage, "invalid time zone"},
		{"token", "x", cmdutil.ExitUsage, `unknown config key "token"`},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		err := setRun(&Options{IO: ios, Key: tt.key, Value: tt.value, Config: load})
		assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), tt.key)
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, tt.wantErr)
		}
	}
	cfg, err := load()
	require.NoError(t, err)
	host, err := cfg.Host()
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example.com", host, "saved in the work profile")
}
