package login

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func TestNewCmdLogin(t *testing.T) {
	tests := []struct {
		cli      string
		want     Options
		wantExit int
	}{
		{cli: "--username jdoe", want: Options{Username: "jdoe"}},
		{cli: "-u jdoe --password-stdin --insecure-storage", want: Options{Username: "jdoe", PasswordStdin: true, InsecureStorage: true}},
		{cli: "--with-token --token-name ci", want: Options{WithToken: true, TokenName: "ci"}},
		{cli: "--with-token --password-stdin", wantExit: cmdutil.ExitUsage},
		{cli: "--with-token --username jdoe", wantExit: cmdutil.ExitUsage},
		{cli: "--email jdoe@example.com", want: Options{Email: "jdoe@example.com"}},
		{cli: "--email jdoe@example.com --username jdoe", wantExit: cmdutil.ExitUsage},
		{cli: "extra", wantExit: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdLogin(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			_, err := cmd.ExecuteC()
			require.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			if tt.wantExit != 0 {
				return
			}
			assert.Equal(t, tt.want.Username, got.Username)
			assert.Equal(t, tt.want.Email, got.Email)
			assert.Equal(t, tt.want.PasswordStdin, got.PasswordStdin)
			assert.Equal(t, tt.want.WithToken, got.WithToken)
			assert.Equal(t, tt.want.InsecureStorage, got.InsecureStorage)
			if tt.want.TokenName != "" {
				assert.Equal(t, tt.want.TokenName, got.TokenName)
			}
		})
	}
}

var me = api.Me{User: api.User{Username: "jdoe"}, Organization: api.Organization{Name: "Acme"}}

// Not parallel: the keyring mock is global.
func TestLoginRun(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		stdin      string
		stdinTTY   bool
		env        map[string]string
		keyringErr error
		stubs      func(*httpmock.Registry)
		wantExit   int
		wantErr    string
		wantStored string // token expected in the keyring
		wantInFile string // token expected in the config file
		wantStderr string
	}{
		{
			name: "a code sent to the address", opts: Options{Email: "jdoe@example.com", PasswordStdin: true}, stdin: "12345678\n",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/auth/login-codes"), httpmock.RESTPayload(202, map[string]string{"status": "sent"},
					func(body map[string]any) { assert.Equal(t, "jdoe@example.com", body["email"]) }))
				r.Register(httpmock.REST("POST", "/v1/auth/tokens"), httpmock.RESTPayload(201, api.CreatedToken{Token: "code-token"},
					func(body map[string]any) {
						assert.Equal(t, "jdoe@example.com", body["email"])
						assert.Equal(t, "12345678", body["code"])
						assert.Nil(t, body["password"])
					}))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantStored: "code-token",
			wantStderr: "If jdoe@example.com belongs to a portal user, a sign-in code is on its way to it (valid 10 minutes).\n" +
				"Logged in to https://portal.test as jdoe (Acme); token stored in the system keyring\n",
		},
		{
			name: "password from stdin", opts: Options{Username: "jdoe", PasswordStdin: true}, stdin: "s3cret\n",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/auth/tokens"), httpmock.RESTPayload(201, api.CreatedToken{Token: "new-token"},
					func(body map[string]any) {
						assert.Equal(t, "jdoe", body["username"])
						assert.Equal(t, "s3cret", body["password"])
						assert.Equal(t, "laptop", body["name"])
					}))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantStored: "new-token", wantStderr: "Logged in to https://portal.test as jdoe (Acme); token stored in the system keyring\n",
		},
		{
			name: "password typed on a terminal", opts: Options{Username: "jdoe"}, stdin: "typed\n", stdinTTY: true,
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/auth/tokens"), httpmock.RESTPayload(201, api.CreatedToken{Token: "tty-token"},
					func(body map[string]any) { assert.Equal(t, "typed", body["password"]) }))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantStored: "tty-token",
		},
		{
			name: "username and password prompted on a terminal", stdin: "jdoe\nhidden\n", stdinTTY: true,
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/auth/tokens"), httpmock.RESTPayload(201, api.CreatedToken{Token: "prompted"},
					func(body map[string]any) {
						assert.Equal(t, "jdoe", body["username"])
						assert.Equal(t, "hidden", body["password"])
					}))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantStored: "prompted", wantStderr: "Username: Password: \n",
		},
		{
			name: "token from stdin", opts: Options{WithToken: true}, stdin: "given-token\n",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantStored: "given-token",
		},
		{
			name: "insecure storage writes the file", opts: Options{WithToken: true, InsecureStorage: true}, stdin: "file-token",
			keyringErr: assert.AnError,
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantInFile: "file-token",
		},
		{
			name: "keyring unavailable fails without plain-text fallback", opts: Options{WithToken: true}, stdin: "t",
			keyringErr: assert.AnError,
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			},
			wantExit: cmdutil.ExitError, wantErr: "keyring is unavailable",
		},
		{
			name: "created token is revoked when it cannot be stored", opts: Options{Username: "jdoe", PasswordStdin: true}, stdin: "pw",
			keyringErr: assert.AnError,
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/auth/tokens"), httpmock.JSONResponse(api.CreatedToken{Token: "orphan"}))
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
				r.Register(httpmock.REST("DELETE", "/v1/auth/token"), httpmock.StatusStringResponse(204, ""))
			},
			wantExit: cmdutil.ExitError, wantErr: "keyring is unavailable",
		},
		{
			name: "wrong password", opts: Options{Username: "jdoe", PasswordStdin: true}, stdin: "nope",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/auth/tokens"),
					httpmock.ErrorResponse(401, api.CodeUnauthenticated, "invalid username or password"))
			},
			wantExit: cmdutil.ExitNotAuthed, wantErr: "login to https://portal.test failed: invalid username or password",
		},
		{
			name: "rejected token is not stored", opts: Options{WithToken: true}, stdin: "bad",
			stubs: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.ErrorResponse(401, api.CodeUnauthenticated, "unknown token"))
			},
			wantExit: cmdutil.ExitNotAuthed, wantErr: "the token was not accepted",
		},
		{name: "with-token refuses to wait on a terminal", opts: Options{WithToken: true}, stdinTTY: true,
			wantExit: cmdutil.ExitUsage, wantErr: "--with-token reads the token from stdin, but stdin is a terminal"},
		{name: "password-stdin refuses to wait on a terminal", opts: Options{Username: "u", PasswordStdin: true}, stdinTTY: true,
			wantExit: cmdutil.ExitUsage, wantErr: "--password-stdin reads the password from stdin"},
		{name: "empty token", opts: Options{WithToken: true}, stdin: "\n",
			wantExit: cmdutil.ExitUsage, wantErr: "stdin was empty"},
		{name: "no terminal for the password", opts: Options{Username: "jdoe"},
			wantExit: cmdutil.ExitUsage, wantErr: "no terminal to ask for the password"},
		{name: "no username without a terminal", opts: Options{PasswordStdin: true}, stdin: "pw",
			wantExit: cmdutil.ExitUsage, wantErr: "--username is required"},
		{name: "environment token set", opts: Options{WithToken: true}, env: map[string]string{"PORTALCTL_TOKEN": "x"},
			wantExit: cmdutil.ExitError, wantErr: "PORTALCTL_TOKEN is set"},
		{name: "no host", opts: Options{WithToken: true}, env: map[string]string{"PORTALCTL_HOST": ""},
			wantExit: cmdutil.ExitUsage, wantErr: "no portal host configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInit()
			if tt.keyringErr != nil {
				keyring.MockInitWithError(tt.keyringErr)
			}
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_HOST": httpmock.TestHost}
			for k, v := range tt.env {
				env[k] = v
			}
			getenv := func(k string) string { return env[k] }
			reg := &httpmock.Registry{}
			if tt.stubs != nil {
				tt.stubs(reg)
			}
			defer reg.Verify(t)
			ios, in, out, errOut := iostreams.Test()
			in.WriteString(tt.stdin)
			ios.SetStdinTTY(tt.stdinTTY)
			ios.SetStdoutTTY(tt.stdinTTY)
			opts := tt.opts
			opts.IO, opts.Keyring, opts.Getenv = ios, keyring.System(), getenv
			if opts.TokenName == "" {
				opts.TokenName = "laptop"
			}
			opts.Config = func() (*config.Config, error) { return config.Load(getenv, "", "") }
			opts.NewClient = func(host, token string) (*client.Client, error) {
				return client.New(client.Options{BaseURL: host, Token: token, Transport: reg})
			}

			err := loginRun(context.Background(), &opts)

			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
			}
			if tt.wantStderr != "" {
				assert.Contains(t, errOut.String(), tt.wantStderr)
			}
			assert.Empty(t, out.String(), "login prints nothing on stdout")
			file, _ := os.ReadFile(filepath.Join(env["XDG_CONFIG_HOME"], "portalctl", "config.yaml"))
			if tt.wantStored != "" {
				got, err := keyring.System().Get(config.KeyringService(httpmock.TestHost), "jdoe")
				require.NoError(t, err)
				assert.Equal(t, tt.wantStored, got)
				assert.NotContains(t, string(file), tt.wantStored, "token must not be in the config file")
				assert.Contains(t, string(file), "user: jdoe")
			}
			if tt.wantInFile != "" {
				assert.Contains(t, string(file), "token: "+tt.wantInFile)
			}
			if tt.wantExit != 0 {
				assert.NotContains(t, string(file), "token:", "nothing stored after a failed login")
			}
		})
	}
}

// TestLoginWarnsOnPlainHTTP (issue 17, adversary finding 17): a password
// sent over plain http:// to another machine crosses the network in clear
// text. Login warns before sending anything; loopback addresses and
// https:// do not warn.
func TestLoginWarnsOnPlainHTTP(t *testing.T) {
	tests := []struct {
		host string
		warn bool
	}{
		{"http://portal.example.com", true},
		{"http://10.1.2.3:8787", true},
		{"http://[2001:db8::1]:8787", true},
		{"http://127.0.0.1:8787", false},
		{"http://localhost:8787", false},
		{"http://[::1]:8787", false},
		{"https://portal.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			keyring.MockInit()
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_HOST": tt.host}
			getenv := func(k string) string { return env[k] }
			reg := &httpmock.Registry{}
			reg.Register(httpmock.REST("POST", "/v1/auth/tokens"), httpmock.JSONResponse(api.CreatedToken{Token: "tok"}))
			reg.Register(httpmock.REST("GET", "/v1/me"), httpmock.JSONResponse(me))
			ios, in, _, errOut := iostreams.Test()
			in.WriteString("pw\n")
			opts := Options{IO: ios, Keyring: keyring.System(), Getenv: getenv, Username: "jdoe", PasswordStdin: true, TokenName: "t",
				Config: func() (*config.Config, error) { return config.Load(getenv, "", "") },
				NewClient: func(host, token string) (*client.Client, error) {
					return client.New(client.Options{BaseURL: host, Token: token, Transport: reg})
				}}
			require.NoError(t, loginRun(context.Background(), &opts))
			warned := strings.HasPrefix(errOut.String(), "warning: "+tt.host+" is plain http: your password and token cross the network unencrypted")
			assert.Equal(t, tt.warn, warned, "stderr: %s", errOut.String())
		})
	}
}
