package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/internal/cli/root"
	"github.com/portalctl/portalctl/internal/testutil/secretservice"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
	"github.com/portalctl/portalctl/pkg/api"
)

// example is one "$ …" line of a command's Example help (and so of its
// man page and docs/cli page, which are generated from the same tree).
type example struct {
	command string // the command whose help shows it
	line    string // without the "$ "
}

// helpExamples walks the whole command tree, as `portalctl --help`, the man
// pages and docs/cli see it, and returns every shell example that runs
// portalctl (PowerShell lines are not shell), each once.
func helpExamples(t *testing.T) []example {
	ios, _, _, _ := iostreams.Test()
	var out []example
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range strings.Split(c.Example, "\n") {
			l = strings.TrimSpace(l)
			if line, ok := strings.CutPrefix(l, "$ "); ok && strings.Contains(line, "portalctl") && !seen[line] {
				seen[line] = true
				out = append(out, example{command: c.CommandPath(), line: line})
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root.NewCmdRoot(&factory.Factory{IOStreams: ios, Version: "dev"}))
	if len(out) < 60 {
		t.Fatalf("found only %d examples", len(out))
	}
	return out
}

// TestHelpExamplesRun runs every example of every --help against a real
// portald on the demo data, as a new user would type it, and expects exit
// 0. What an example leaves to the reader is filled in, and only that:
// the portal address (the demo server for portal.example.com), a demo user
// for jdoe, the files the example reads (build.log, issue.json, …), a
// logged-in profile (chloe for end-client commands, ava otherwise; a second
// one named staging), and a token id of the user's own for revoke 7.
// Examples that sign in with a password run on a terminal (script(1)) with
// a real Secret Service; the rest in bash with the token in the config file.
func TestHelpExamplesRun(t *testing.T) {
	dir := t.TempDir()
	s := &server{DB: filepath.Join(dir, "demo.db"), dir: dir, logs: &lockedBuffer{}}
	portaldOK(t, "demo", "--db", s.DB)
	sink := smtptest.New(t) // sign-in codes arrive here
	s.serve(t, nil, "--web-url", "https://portal.example.com", "--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(sink.Port),
		"--smtp-starttls=false", "--smtp-from", "portal@northwind-it.example", "--smtp-poll", "100ms")

	for i, ex := range helpExamples(t) {
		// Short names: a keyring's socket lives in the subtest's temp dir,
		// and a unix socket path may not be long.
		t.Run("example"+strconv.Itoa(i), func(t *testing.T) {
			name := "ava"
			if strings.Contains(ex.line, "endclient") || strings.Contains(ex.line, "--end-client") {
				name = "chloe" // the demo user of a billing organization
			}
			u := s.newUser(t, name)
			u.home = filepath.Join(dir, "ex", strconv.Itoa(i)) // a fresh home for each example
			setUpExampleHome(t, s, u, name)
			line := ex.line
			if strings.Contains(line, "jdoe@example.com") { // the user's own address, where codes go
				line = strings.ReplaceAll(line, "jdoe@example.com", demoEmail(t, u))
			}
			line = strings.NewReplacer(
				"https://portal.example.com", s.URL, "https://staging.example.com", s.URL, "portal.example.com", s.URL,
				"jdoe", name,
			).Replace(line)
			if before, after, ok := strings.Cut(line, "revoke 7"); ok { // a token of the user's own
				line = before + "revoke " + spareToken(t, s, u, name) + after
			}
			if before, after, ok := strings.Cut(line, "email status 12"); ok { // a team email the user sent
				line = before + "email status " + sentTeamEmail(t, u) + after
			}
			// bash has no zsh fpath; give it one inside the sandbox.
			script := `fpath=("" "$HOME/.zfunc"); ` + line

			var cmd *exec.Cmd
			var stdin string
			interactive := strings.Contains(line, "auth login") && !strings.Contains(line, "--password-stdin") && !strings.Contains(line, "--with-token")
			if strings.Contains(line, "auth login") {
				for _, kv := range secretservice.Start(t) { // skips when gnome-keyring is missing
					if !strings.HasPrefix(kv, "HOME=") {
						u.env = append(u.env, kv)
					}
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			if interactive {
				// A password prompt needs a terminal: script(1) gives one and
				// types what stdin holds (the username when not given, then
				// the demo password).
				stdin = "demo\n"
				if !strings.Contains(line, "--username") {
					stdin = name + "\ndemo\n"
				}
				cmd = exec.CommandContext(ctx, "script", "-qec", "bash -c '"+strings.ReplaceAll(script, "'", `'\''`)+"'", "/dev/null")
			} else {
				cmd = exec.CommandContext(ctx, "bash", "-c", script)
			}
			cmd.Env = append(u.env, "PATH="+bin+":"+filepath.Join(u.home, "bin")+":"+os.Getenv("PATH"),
				"SHELL=/bin/bash", "PASSWORD=demo", "PORTALCTL_PAGER=cat")
			cmd.Dir = u.home
			var r result
			if strings.Contains(line, "--email") {
				// The user types the code the portal mailed, once it came.
				r = runTypingCode(t, cmd, sink)
			} else {
				r = runCommand(t, cmd, stdin)
			}
			if r.Code != 0 {
				t.Errorf("`%s` (from %s --help) as %s: exit %d\nstdout: %s\nstderr: %s", line, ex.command, name, r.Code, r.Stdout, r.Stderr)
			}
		})
	}
}

// setUpExampleHome logs name in (token in the config file, as on a
// machine without a keyring; also as profile staging) and writes the files
// examples read.
func setUpExampleHome(t *testing.T, s *server, u *user, name string) {
	t.Helper()
	for _, d := range []string{".config/fish/completions", ".local/state", ".zfunc", "bin"} {
		if err := os.MkdirAll(filepath.Join(u.home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	u.env = append(u.env[:0:0], u.env...)
	for i, kv := range u.env {
		if strings.HasPrefix(kv, "HOME=") {
			u.env[i] = "HOME=" + u.home
		}
		if strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			u.env[i] = "XDG_CONFIG_HOME=" + filepath.Join(u.home, ".config")
		}
	}
	for _, profile := range []string{"default", "staging"} {
		r := u.run(s.operatorToken(t, name)+"\n", "auth", "login", "--profile", profile, "--host", s.URL, "--with-token", "--insecure-storage")
		if r.Code != 0 {
			t.Fatalf("setting up %s: %+v", name, r)
		}
	}
	files := map[string]string{
		"build.log":  "--- FAIL: TestBackup (0.20s)\nFAIL\n",
		"notes.txt":  "Status: on track.\n",
		"issue.json": `{"title":"Filed from a file","priority":"low"}`,
		"token.txt":  s.operatorToken(t, name) + "\n",
		"go.mod":     "module example.com/ci\n\ngo 1.21\n",
		// What a desktop has: a script that writes a summary, and an
		// opener for links (this one prints them).
		"summary.sh":   "#!/bin/sh\necho 'All tasks on track.'\n",
		"bin/xdg-open": "#!/bin/sh\necho \"would open $1\"\n",
	}
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(u.home, f), []byte(content), 0o700); err != nil {
			t.Fatal(err)
		}
	}
}

// demoEmail is the address of u's demo user, where sign-in codes go.
func demoEmail(t *testing.T, u *user) string {
	t.Helper()
	var me api.Me
	if err := json.Unmarshal([]byte(u.ok("api", "-X", "GET", "me")), &me); err != nil || me.User.Email == "" {
		t.Fatalf("portalctl api me: %v", err)
	}
	return me.User.Email
}

// sentTeamEmail is the id of a team email u sends now.
func sentTeamEmail(t *testing.T, u *user) string {
	t.Helper()
	return strings.TrimSpace(u.ok("team", "email", "--project", "1", "--subject", "Status", "--body", "On track.", "-o", "json", "--jq", ".id"))
}

// runTypingCode runs a sign-in by emailed code: when the code arrives at
// sink (the next message there), it is typed at the prompt.
func runTypingCode(t *testing.T, cmd *exec.Cmd, sink *smtptest.Server) result {
	t.Helper()
	before := len(sink.Messages())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sink.WaitFor(t, before+1)
	code := regexp.MustCompile(`is (\d{8})\.`).FindSubmatch(sink.Messages()[before].Data)
	if code == nil {
		t.Fatalf("no sign-in code in %q", sink.Messages()[before].Data)
	}
	stdin.Write(append(code[1], '\n'))
	err = cmd.Wait()
	r := result{Stdout: out.String(), Stderr: errOut.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.Code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// spareToken is the id of a token of name's own that an example may revoke.
func spareToken(t *testing.T, s *server, u *user, name string) string {
	t.Helper()
	out, err := exec.Command(filepath.Join(bin, "portald"), "token", "create", "--db", s.DB, "--username", name, "--name", "spare").Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("portald token create: %v", err)
	}
	return strings.TrimSpace(u.ok("auth", "token", "list", "-o", "json", "--jq", `[.[] | select(.name == "spare")] | last | .id`))
}

// `portalctl … | head` ends quietly: exit 0, nothing on stderr, although
// the reader stopped long before the export's end (it was killed by
// SIGPIPE, exit 141).
func TestClosedPipeIsQuiet(t *testing.T) {
	s := startServer(t, "--billing-items", "20000")
	chloe := s.newUser(t, "chloe").login()
	cmd := exec.Command("bash", "-c", `portalctl endclient hours --all -o csv | head -2 >/dev/null; echo "${PIPESTATUS[0]}"`)
	cmd.Env = append(chloe.env, "PATH="+bin+":"+os.Getenv("PATH"))
	cmd.Dir = chloe.home
	r := runCommand(t, cmd, "")
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "0" || r.Stderr != "" {
		t.Errorf("portalctl | head: exit %q, stderr %q", r.Stdout, r.Stderr)
	}
}
