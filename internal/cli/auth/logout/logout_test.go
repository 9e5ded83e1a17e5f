package logout

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/config"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/keyring"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

func TestNewCmdLogout(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	called := false
	cmd := NewCmdLogout(&factory.Factory{IOStreams: ios}, func(*Options) error { called = true; return nil })
	cmd.SetArgs([]string{"x"})
	_, err := cmd.ExecuteC()
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
	assert.False(t, called)
}

// Not parallel: the keyring mock is global.
func TestLogoutRun(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		loggedIn    bool
		stub        httpmock.Responder
		wantExit    int
		wantErr     string
		wantRemoved bool
	}{
		{name: "revokes then forgets", loggedIn: true, stub: httpmock.StatusStringResponse(204, ""), wantRemoved: true},
		{name: "already revoked token is forgotten", loggedIn: true,
			stub: httpmock.ErrorResponse(401, api.CodeUnauthenticated, "revoked"), wantRemoved: true},
		{name: "server down keeps the token", loggedIn: true,
			stub: httpmock.ErrorResponse(503, api.CodeUnavailable, "down"), wantExit: cmdutil.ExitError, wantErr: "could not revoke the token"},
		{name: "not logged in", wantExit: cmdutil.ExitNotAuthed},
		{name: "environment token", loggedIn: true, env: map[string]string{"PORTALCTL_TOKEN": "x"},
			wantExit: cmdutil.ExitError, wantErr: "PORTALCTL_TOKEN is set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInit()
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			getenv := func(k string) string { return env[k] }
			kr := keyring.System()
			cfg, err := config.Load(getenv, "", "")
			require.NoError(t, err)
			cfg.Profile().Host = httpmock.TestHost
			if tt.loggedIn {
				require.NoError(t, cfg.StoreToken(kr, httpmock.TestHost, "jdoe", "stored-token", false))
			}
			require.NoError(t, cfg.Save())
			reg := &httpmock.Registry{}
			if tt.stub != nil {
				reg.Register(httpmock.REST("DELETE", "/v1/auth/token"), tt.stub)
			}
			defer reg.Verify(t)
			ios, _, out, errOut := iostreams.Test()
			opts := &Options{IO: ios, Keyring: kr, Getenv: getenv,
				Config: func() (*config.Config, error) { return config.Load(getenv, "", "") },
				NewClient: func(host, token string) (*client.Client, error) {
					return client.New(client.Options{BaseURL: host, Token: token, Transport: reg})
				}}

			err = logoutRun(context.Background(), opts)

			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
			}
			if tt.stub != nil {
				assert.Equal(t, "Bearer stored-token", reg.Requests[0].Header.Get("Authorization"))
			}
			_, kerr := kr.Get(config.KeyringService(httpmock.TestHost), "jdoe")
			if tt.wantRemoved {
				assert.ErrorIs(t, kerr, keyring.ErrNotFound)
				assert.Equal(t, "Logged out jdoe from https://portal.test (profile default)\n", errOut.String())
			} else if tt.loggedIn {
				assert.NoError(t, kerr, "token kept")
			}
			assert.Empty(t, out.String())
		})
	}
}
