// Package api implements `portalctl api`, a raw authenticated call like `gh api`.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options are everything apiRun needs.
type Options struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)

	Method    string
	MethodSet bool
	Path      string
	Fields    []string
	InputFile string
	readFile  func(string) ([]byte, error)
}

// NewCmdAPI builds the command; runF replaces apiRun in flag tests.
func NewCmdAPI(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.Client, readFile: os.ReadFile}
	cmd := &cobra.Command{
		Use:   "api PATH",
		Short: "Make an authenticated Portal API request",
		Long: heredoc.Doc(`
			Call the Portal API with your token and print the JSON answer. PATH is
			relative to /v1 unless it starts with a slash.

			The method is GET, or POST when fields or --input are given; -X overrides it.
			This is gh api's rule: -f alone means POST. With -X GET, the -f fields become
			query parameters; with any other method they form a JSON object body. --input
			sends a file's JSON as the body ("-" reads stdin).

			On a terminal the JSON is indented. HTTP errors print "error: …" to stderr
			and exit with the code of the API error (see portalctl help exit-codes).
		`),
		Example: heredoc.Doc(`
			$ portalctl api me
			$ portalctl api -X GET projects -f include_completed=true -f limit=5
			$ portalctl api projects/1/notes -f title=Status -f body="All good"
			$ portalctl api -X POST tasks/T20260105.0002/complete
			$ portalctl api projects/1/issues --input issue.json
		`),
		Args: cmdutil.ExactArgs(1, "give the API path, e.g. `portalctl api me`"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			opts.MethodSet = cmd.Flags().Changed("method")
			if opts.InputFile != "" && len(opts.Fields) > 0 {
				return cmdutil.FlagErrorf("--input and -f/--field cannot be combined: put the fields in the input file")
			}
			for _, f := range opts.Fields {
				if k, _, ok := strings.Cut(f, "="); !ok || k == "" {
					return cmdutil.FlagErrorf("invalid field %q: want -f key=value", f)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return apiRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Method, "method", "X", "GET", "HTTP method")
	_ = cmd.RegisterFlagCompletionFunc("method", cobra.FixedCompletions([]string{"GET", "POST", "PATCH", "PUT", "DELETE"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.Flags().StringArrayVarP(&opts.Fields, "field", "f", nil, "Add a string field key=value (makes the request a POST unless -X; query parameters with -X GET)")
	cmd.Flags().StringVar(&opts.InputFile, "input", "", "Send this file's JSON as the body (\"-\" for stdin)")
	return cmd
}

func apiRun(ctx context.Context, opts *Options) error {
	method := strings.ToUpper(opts.Method)
	if !opts.MethodSet && (len(opts.Fields) > 0 || opts.InputFile != "") {
		method = "POST"
	}
	path := opts.Path
	var body json.RawMessage
	switch {
	case opts.InputFile != "":
		b, err := readInput(opts)
		if err != nil {
			return err
		}
		if !json.Valid(b) {
			return cmdutil.FlagErrorf("--input %s is not valid JSON", opts.InputFile)
		}
		body = b
	case len(opts.Fields) > 0 && method == "GET":
		q := url.Values{}
		for _, f := range opts.Fields {
			k, v, _ := strings.Cut(f, "=")
			q.Add(k, v)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + q.Encode()
	case len(opts.Fields) > 0:
		obj := map[string]string{}
		for _, f := range opts.Fields {
			k, v, _ := strings.Cut(f, "=")
			obj[k] = v
		}
		body, _ = json.Marshal(obj)
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	resp, err := c.Do(ctx, method, path, body)
	if err != nil {
		return err
	}
	return printBody(opts.IO, resp.Body)
}

func readInput(opts *Options) ([]byte, error) {
	if opts.InputFile == "-" {
		return io.ReadAll(opts.IO.In)
	}
	b, err := opts.readFile(opts.InputFile)
	if err != nil {
		return nil, cmdutil.FlagErrorf("cannot read --input: %v", err)
	}
	return b, nil
}

// printBody passes the body through unchanged to a pipe or file. On a
// terminal it indents JSON, and shows the control characters of what the
// server sent (written by other users) instead of running them: JSON's
// DEL and C1 as \u escapes, other text in caret notation (output.Sanitize).
func printBody(ios *iostreams.IOStreams, body []byte) error {
	if len(body) == 0 {
		return nil
	}
	if ios.IsStdoutTTY() {
		var buf bytes.Buffer
		if json.Valid(body) && json.Indent(&buf, body, "", "  ") == nil {
			buf.WriteByte('\n')
			_, err := ios.Out.Write(output.SanitizeJSON(buf.Bytes()))
			return err
		}
		body = []byte(output.Sanitize(string(body)))
	}
	if _, err := ios.Out.Write(body); err != nil {
		return err
	}
	if body[len(body)-1] != '\n' {
		_, err := fmt.Fprintln(ios.Out)
		return err
	}
	return nil
}
