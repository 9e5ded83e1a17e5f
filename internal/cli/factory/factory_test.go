package factory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

func TestClientOptions(t *testing.T) {
	for _, tt := range []struct {
		debug     string
		wantDebug bool
	}{{"", false}, {"api", true}, {"1", true}, {"0", false}} {
		f, _, _, errOut := NewTest(map[string]string{"PORTALCTL_DEBUG": tt.debug}, nil)
		opts, err := f.clientOptions("https://portal.test", "tok")
		require.NoError(t, err)
		assert.Equal(t, "portalctl/1.2.3", opts.UserAgent)
		assert.Equal(t, 3, opts.Retries)
		if tt.wantDebug {
			assert.Same(t, errOut, opts.Debug)
		} else {
			assert.Nil(t, opts.Debug)
		}
	}
}

// Not parallel: the keyring mock is global.
func TestClientNeedsLoginAndHost(t *testing.T) {
	keyring.MockInitWithError(assert.AnError) // must not be touched when PORTALCTL_TOKEN is set
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	f, _, _, _ := NewTest(map[string]string{"XDG_CONFIG_HOME": dir}, nil)
	_, err := f.Client()
	assert.ErrorIs(t, err, cmdutil.ErrNotLoggedIn)

	f, _, _, _ = NewTest(map[string]string{"XDG_CONFIG_HOME": dir, "PORTALCTL_TOKEN": "t"}, nil)
	_, err = f.Client()
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))

	f, _, _, _ = NewTest(map[string]string{"XDG_CONFIG_HOME": dir, "PORTALCTL_TOKEN": "t"}, nil)
	f.HostFlag = httpmock.TestHost
	c, err := f.Client()
	require.NoError(t, err)
	assert.Equal(t, httpmock.TestHost, c.BaseURL())
	again, _ := f.Client()
	assert.Same(t, c, again, "client is built once")
}

func TestTimeoutFromEnvironment(t *testing.T) {
	for _, tt := range []struct {
		env     string
		want    time.Duration
		wantErr string
	}{
		{"", 0, ""},
		{"2s", 2 * time.Second, ""},
		{"soon", 0, "PORTALCTL_TIMEOUT=soon is not a duration: use e.g. 30s or 2m"},
		{"-1s", 0, "PORTALCTL_TIMEOUT=-1s is not a duration"},
	} {
		f, _, _, _ := NewTest(map[string]string{"PORTALCTL_TIMEOUT": tt.env, "PORTALCTL_TOKEN": "t"}, nil)
		f.HostFlag = httpmock.TestHost
		opts, _ := f.clientOptions(httpmock.TestHost, "t")
		assert.Equal(t, tt.want, opts.Timeout, tt.env)
		_, err := f.Client()
		// auth login, status and logout build their clients with ClientFor.
		_, errFor := f.ClientFor(httpmock.TestHost, "")
		if tt.wantErr == "" {
			assert.NoError(t, err, tt.env)
			assert.NoError(t, errFor, tt.env)
			continue
		}
		for _, err := range []error{err, errFor} {
			assert.ErrorContains(t, err, tt.wantErr)
			assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
		}
	}
}
