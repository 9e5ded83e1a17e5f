package list

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

func TestNewCmdList(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdList(&factory.Factory{IOStreams: ios}, func(*Options) error { return nil })
	cmd.SetArgs([]string{"x"})
	_, err := cmd.ExecuteC()
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
}

func TestListRun(t *testing.T) {
	t.Parallel()
	getenv := func(k string) string { return map[string]string{"XDG_CONFIG_HOME": t.TempDir()}[k] }
	cfg, err := config.Load(getenv, "", "")
	require.NoError(t, err)
	require.NoError(t, cfg.Set("host", "https://portal.example.com"))
	cfg.Profile().Token = "never-shown"
	ios, _, out, _ := iostreams.Test()
	require.NoError(t, listRun(&Options{IO: ios, Config: func() (*config.Config, error) { return cfg, nil }}))
	assert.Equal(t, "host=https://portal.example.com\noutput=\ntz=\n", out.String())
}
