package api

import (
	"context"
	"errors"
	"net/url"
	"os"
	"testing"

	"github.com/google/shlex"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	papi "github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdAPI(t *testing.T) {
	tests := []struct {
		cli        string
		wantPath   string
		wantMethod string
		wantSet    bool
		wantFields []string
		wantInput  string
		wantExit   int
	}{
		{cli: "me", wantPath: "me", wantMethod: "GET"},
		{cli: "-X post tasks/1/complete", wantPath: "tasks/1/complete", wantMethod: "post", wantSet: true},
		{cli: "projects/1/notes -f title=T -f 'body=a = b'", wantPath: "projects/1/notes", wantMethod: "GET",
			wantFields: []string{"title=T", "body=a = b"}},
		{cli: "projects/1/issues --input issue.json", wantPath: "projects/1/issues", wantMethod: "GET", wantInput: "issue.json"},
		{cli: "", wantExit: cmdutil.ExitUsage},
		{cli: "me -f novalue", wantExit: cmdutil.ExitUsage},
		{cli: "me -f x=1 --input f.json", wantExit: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdAPI(&factory.Factory{IOStreams: ios}, func(o *Options) error { got = o; return nil })
			argv, _ := shlex.Split(tt.cli)
			cmd.SetArgs(argv)
			_, err := cmd.ExecuteC()
			require.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			if tt.wantExit != 0 {
				return
			}
			assert.Equal(t, tt.wantPath, got.Path)
			assert.Equal(t, tt.wantMethod, got.Method)
			assert.Equal(t, tt.wantSet, got.MethodSet)
			assert.Equal(t, tt.wantFields, got.Fields)
			assert.Equal(t, tt.wantInput, got.InputFile)
		})
	}
}

func TestAPIRun(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		tty      bool
		stdin    string
		files    map[string]string
		stub     func(*httpmock.Registry)
		wantOut  string
		wantExit int
	}{
		{name: "GET piped passes JSON through", opts: Options{Method: "GET", Path: "me"},
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse(`{"a":1}`))
			},
			wantOut: "{\"a\":1}\n"},
		{name: "GET on a terminal is indented", opts: Options{Method: "GET", Path: "/v1/me"}, tty: true,
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse(`{"a":1}`))
			},
			wantOut: "{\n  \"a\": 1\n}\n"},
		{name: "a terminal is shown escapes in JSON, not run", opts: Options{Method: "GET", Path: "/v1/me"}, tty: true,
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse("{\"a\":\"x\u009b31m\u007f\"}"))
			},
			wantOut: "{\n  \"a\": \"x\\u009b31m\\u007f\"\n}\n"},
		{name: "a terminal is shown escapes in text, not run", opts: Options{Method: "GET", Path: "/v1/me"}, tty: true,
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse("BEGIN\x1b]0;pwned\x07\n"))
			},
			wantOut: "BEGIN^[]0;pwned^G\n"},
		{name: "a pipe gets the bytes as sent", opts: Options{Method: "GET", Path: "/v1/me"},
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/me"), httpmock.StringResponse("BEGIN\x1b]0;pwned\x07\n"))
			},
			wantOut: "BEGIN\x1b]0;pwned\x07\n"},
		{name: "-X GET fields become the query", opts: Options{Method: "GET", MethodSet: true, Path: "projects", Fields: []string{"q=web site", "limit=2"}},
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.QueryMatcher("GET", "/v1/projects", url.Values{"q": {"web site"}, "limit": {"2"}}),
					httpmock.StringResponse(`{"items":[]}`))
			},
			wantOut: "{\"items\":[]}\n"},
		{name: "fields switch to a POST with a JSON body", opts: Options{Method: "GET", Path: "projects/4/notes", Fields: []string{"title=T", "body=B"}},
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/projects/4/notes"), httpmock.RESTPayload(201, map[string]int{"id": 9},
					func(body map[string]any) { assert.Equal(t, map[string]any{"title": "T", "body": "B"}, body) }))
			},
			wantOut: "{\"id\":9}\n"},
		{name: "input file", opts: Options{Method: "GET", Path: "projects/4/issues", InputFile: "issue.json"},
			files: map[string]string{"issue.json": `{"title":"Down"}`},
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("POST", "/v1/projects/4/issues"), httpmock.RESTPayload(201, map[string]int{"id": 3},
					func(body map[string]any) { assert.Equal(t, "Down", body["title"]) }))
			},
			wantOut: "{\"id\":3}\n"},
		{name: "input from stdin with explicit method", opts: Options{Method: "PUT", MethodSet: true, Path: "x", InputFile: "-"}, stdin: `[1]`,
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("PUT", "/v1/x"), httpmock.StatusStringResponse(204, ""))
			}},
		{name: "input not JSON", opts: Options{Method: "GET", Path: "x", InputFile: "-"}, stdin: `nope`, wantExit: cmdutil.ExitUsage},
		{name: "input file missing", opts: Options{Method: "GET", Path: "x", InputFile: "missing.json"}, wantExit: cmdutil.ExitUsage},
		{name: "API error exit code", opts: Options{Method: "GET", Path: "projects/99"},
			stub: func(r *httpmock.Registry) {
				r.Register(httpmock.REST("GET", "/v1/projects/99"), httpmock.ErrorResponse(404, papi.CodeNotFound, "project not found"))
			},
			wantExit: cmdutil.ExitNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := &httpmock.Registry{}
			if tt.stub != nil {
				tt.stub(reg)
			}
			defer reg.Verify(t)
			ios, in, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			in.WriteString(tt.stdin)
			opts := tt.opts
			opts.IO, opts.Client = ios, reg.APIClient()
			opts.readFile = func(name string) ([]byte, error) {
				if s, ok := tt.files[name]; ok {
					return []byte(s), nil
				}
				return nil, os.ErrNotExist
			}
			err := apiRun(context.Background(), &opts)
			assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), "err: %v", err)
			assert.Equal(t, tt.wantOut, out.String())
			assert.False(t, errors.Is(err, context.Canceled))
		})
	}
}
