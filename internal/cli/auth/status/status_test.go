package status

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/shlex"
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

// Flag-parsing test: the runF seam captures the parsed Options.
func TestNewCmdStatus(t *testing.T) {
	tests := []struct {
		name      string
		cli       string
		wantShow  bool
		wantUsage bool
	}{
		{name: "no flags", cli: ""},
		{name: "show token", cli: "--show-token", wantShow: true},
		{name: "stray argument", cli: "extra", wantUsage: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &factory.Factory{IOStreams: ios}
			var got *Options
			cmd := NewCmdStatus(f, func(o *Options) error { got = o; return nil })
			argv, err := shlex.Split(tt.cli)
			require.NoError(t, err)
			cmd.SetArgs(argv)
			_, err = cmd.ExecuteC()
			if tt.wantUsage {
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantShow, got.ShowToken)
		})
	}
}

var now = time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)

var tokens = []api.Token{
	{ID: 3, Name: "ci", ExpiresAt: nil},
	{ID: 7, Name: "laptop", ExpiresAt: ptr(now.Add(90 * 24 * time.Hour)), Current: true},
}

func ptr[T any](v T) *T { return &v }

var me = api.Me{
	User:          api.User{Username: "jdoe", Name: "Jane Doe"},
	Organization:  api.Organization{Name: "Acme", TimeZone: "America/New_York"},
	SecurityLevel: api.SecurityLevel{Name: "Standard", Permissions: []string{"notes", "add_issues"}},
}

// Run tests: real config file in a temp dir, keyring mock, HTTP fake.
// Not parallel: the keyring mock is global.
func TestStatusRun(t *testing.T) {
	const stored = "pt_storedtoken123456"
	tests := []struct {
		name       string
		env        map[string]string
		profile    config.Profile
		keyringErr error
		stub       httpmock.Responder
		wantOut    []string
		wantToken  string // the bearer token sent to /v1/me
		wantExit   int
	}{
		{
			name:    "keyring token",
			profile: config.Profile{Host: httpmock.TestHost, User: "jdoe"},
			stub:    httpmock.JSONResponse(me),
			wantOut: []string{"https://portal.test (profile default)", "Logged in as jdoe (Jane Doe)",
				"Organization: Acme (time zone America/New_York)", "Token: pt_s******** (from keyring)",
				"Token expires: 2026-06-26 12:00 UTC (in 90 days)"},
			wantToken: stored,
		},
		{
			name:      "environment token wins and is masked",
			env:       map[string]string{"PORTALCTL_TOKEN": "pt_fromenvironment99"},
			profile:   config.Profile{Host: httpmock.TestHost},
			stub:      httpmock.JSONResponse(me),
			wantOut:   []string{"Token: pt_f******** (from PORTALCTL_TOKEN)"},
			wantToken: "pt_fromenvironment99",
		},
		{
			name:      "insecure storage token",
			profile:   config.Profile{Host: httpmock.TestHost, User: "jdoe", Token: "pt_infilefilefile"},
			stub:      httpmock.JSONResponse(me),
			wantOut:   []string{"(from config file)"},
			wantToken: "pt_infilefilefile",
		},
		{
			name:     "not logged in",
			profile:  config.Profile{Host: httpmock.TestHost},
			wantExit: cmdutil.ExitNotAuthed,
		},
		{
			name:     "no host",
			wantExit: cmdutil.ExitNotAuthed,
		},
		{
			name:     "token rejected",
			profile:  config.Profile{Host: httpmock.TestHost, User: "jdoe"},
			stub:     httpmock.ErrorResponse(401, api.CodeUnauthenticated, "token revoked"),
			wantExit: cmdutil.ExitNotAuthed,
		},
		{
			name:       "keyring unavailable",
			profile:    config.Profile{Host: httpmock.TestHost, User: "jdoe"},
			keyringErr: assert.AnError,
			wantExit:   cmdutil.ExitError,
		},
	}
	for _, tt := range tests {
		for _, tty := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s tty=%v", tt.name, tty), func(t *testing.T) {
				keyring.MockInit()
				if tt.keyringErr != nil {
					keyring.MockInitWithError(tt.keyringErr)
				} else {
					require.NoError(t, keyring.System().Set(config.KeyringService(httpmock.TestHost), "jdoe", stored))
				}
				env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
				for k, v := range tt.env {
					env[k] = v
				}
				getenv := func(k string) string { return env[k] }
				cfg, err := config.Load(getenv, "", "")
				require.NoError(t, err)
				*cfg.Profile() = tt.profile
				reg := &httpmock.Registry{}
				if tt.stub != nil {
					reg.Register(httpmock.REST("GET", "/v1/me"), tt.stub)
					reg.Register(httpmock.REST("GET", "/v1/auth/tokens"), httpmock.ListResponse(tokens, ""))
				}
				ios, _, out, _ := iostreams.Test()
				ios.SetStdoutTTY(tty) // same plain lines either way: no colour codes to strip
				opts := &Options{
					IO:      ios,
					Now:     func() time.Time { return now },
					Format:  "text",
					Config:  func() (*config.Config, error) { return cfg, nil },
					Keyring: keyring.System(),
					NewClient: func(host, token string) (*client.Client, error) {
						return client.New(client.Options{BaseURL: host, Token: token, Transport: reg})
					},
				}
				err = statusRun(context.Background(), opts)
				assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "error: %v", err)
				for _, want := range tt.wantOut {
					assert.Contains(t, out.String(), want)
				}
				if tt.keyringErr != nil {
					assert.Contains(t, cmdutil.Hint(err), "--insecure-storage")
					assert.Contains(t, cmdutil.Hint(err), "PORTALCTL_TOKEN")
				}
				if tt.wantToken != "" {
					assert.Equal(t, "Bearer "+tt.wantToken, reg.Requests[0].Header.Get("Authorization"))
				}
				assert.NotContains(t, out.String(), "\x1b[")
			})
		}
	}
}

// -o json is one object with the token's expiry (null: never), for
// scripts; the token stays masked; --jq filters it.
func TestStatusRunJSON(t *testing.T) {
	keyring.MockInit()
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_TOKEN": "pt_fromenvironment99"}
	getenv := func(k string) string { return env[k] }
	cfg, err := config.Load(getenv, "", "")
	require.NoError(t, err)
	*cfg.Profile() = config.Profile{Host: httpmock.TestHost}
	for _, tc := range []struct {
		name   string
		tokens []api.Token
		jq     string
		want   string
	}{
		{"expiring", tokens, "", ""},
		{"never expires", []api.Token{{ID: 7, Name: "ci", Current: true}}, ".token.expires_at", "\n"},
		{"jq", tokens, ".token.expires_at", "2026-06-26T12:00:00Z\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := &httpmock.Registry{}
			defer reg.Verify(t)
			reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			reg.Register(httpmock.REST("GET", "/v1/auth/tokens"), httpmock.ListResponse(tc.tokens, ""))
			ios, _, out, _ := iostreams.Test()
			opts := &Options{IO: ios, Config: func() (*config.Config, error) { return cfg, nil }, Keyring: keyring.System(),
				Now: func() time.Time { return now }, Format: "json", JQ: tc.jq,
				NewClient: func(host, token string) (*client.Client, error) {
					return client.New(client.Options{BaseURL: host, Token: token, Transport: reg})
				}}
			require.NoError(t, statusRun(context.Background(), opts))
			if tc.jq != "" {
				assert.Equal(t, tc.want, out.String())
				return
			}
			var got map[string]any
			require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
			tok := got["token"].(map[string]any)
			assert.Equal(t, "pt_f********", tok["token"])
			assert.Equal(t, "PORTALCTL_TOKEN", tok["source"])
			assert.Equal(t, "2026-06-26T12:00:00Z", tok["expires_at"])
			assert.Equal(t, "laptop", tok["name"])
			assert.Equal(t, "jdoe", got["user"].(map[string]any)["username"])
			assert.Equal(t, httpmock.TestHost, got["host"])
		})
	}
}

// Names come from the server, where anybody with an Autotask login can
// write them: a name carrying terminal escapes (here retitling the window
// and clearing the screen) is shown in caret notation, not run.
func TestStatusRunShowsEscapesInNames(t *testing.T) {
	keyring.MockInit()
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_TOKEN": "pt_fromenvironment99"}
	cfg, err := config.Load(func(k string) string { return env[k] }, "", "")
	require.NoError(t, err)
	*cfg.Profile() = config.Profile{Host: httpmock.TestHost}
	hostile := me
	hostile.Organization.Name = "Contoso\x1b]0;pwned\x07\x1b[2J"
	hostile.User.Name = "J\u009b31mDoe"
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(hostile))
	reg.Register(httpmock.REST("GET", "/v1/auth/tokens"), httpmock.ListResponse(tokens, ""))
	ios, _, out, _ := iostreams.Test()
	opts := &Options{IO: ios, Config: func() (*config.Config, error) { return cfg, nil }, Keyring: keyring.System(),
		Now: func() time.Time { return now },
		NewClient: func(host, token string) (*client.Client, error) {
			return client.New(client.Options{BaseURL: host, Token: token, Transport: reg})
		}}
	require.NoError(t, statusRun(context.Background(), opts))
	assert.Contains(t, out.String(), "Organization: Contoso^[]0;pwned^G^[[2J (time zone")
	assert.Contains(t, out.String(), "(J^[31mDoe)")
	assert.NotContains(t, out.String(), "\x1b")
	assert.NotContains(t, out.String(), "\u009b")
}
