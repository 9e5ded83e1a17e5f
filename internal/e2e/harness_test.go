package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// bin is where TestMain built portald and portalctl.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portalctl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = dir
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build:", err)
	} else {
		code = pgtest.Run(m) // the attack tests also run portald on PostgreSQL
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// build compiles both programs once for every test of the package.
func build(dir string) error {
	for _, prog := range []string{"portald", "portalctl"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, prog), "../../cmd/"+prog)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", prog, err)
		}
	}
	return nil
}

// server is a running portald on its own demo database.
type server struct {
	URL  string
	DB   string
	dir  string
	logs *lockedBuffer // portald's stderr
}

// lockedBuffer is a bytes.Buffer safe to read while portald still logs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.WriteString(s)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`portald listening on (http://127\.0\.0\.1:[0-9]+)`)

// startServer fills a fresh demo database and serves it (see serve).
func startServer(t *testing.T, demoArgs ...string) *server {
	t.Helper()
	dir := t.TempDir()
	s := &server{DB: filepath.Join(dir, "demo.db"), dir: dir, logs: &lockedBuffer{}}
	if out, err := exec.Command(filepath.Join(bin, "portald"), append([]string{"demo", "--db", s.DB}, demoArgs...)...).CombinedOutput(); err != nil {
		t.Fatalf("portald demo: %v\n%s", err, out)
	}
	s.serve(t, nil)
	return s
}

// serve starts portald serve on s.DB with extra args and environment, on a
// free port, until the test ends (see launch).
func (s *server) serve(t *testing.T, env []string, args ...string) {
	t.Helper()
	s.URL = launch(t, s.logs, env, append([]string{"serve", "--db", s.DB, "--addr", "127.0.0.1:0", "--log-format", "text"}, args...)...).URL
}

// result is what a portalctl run left behind.
type result struct {
	Stdout, Stderr string
	Code           int
}

// user is a portalctl user: a private config dir and environment.
type user struct {
	t    *testing.T
	s    *server
	name string
	home string
	env  []string
}

// newUser gives name a fresh home and config dir. No D-Bus session is
// passed on, so the keyring is unavailable and logins use --insecure-storage.
func (s *server) newUser(t *testing.T, name string) *user {
	home := filepath.Join(s.dir, "home-"+name)
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	return &user{t: t, s: s, name: name, home: home, env: []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"NO_COLOR=1", "TZ=UTC", "LANG=C.UTF-8",
	}}
}

// login logs the user in with the demo password read from stdin.
func (u *user) login() *user {
	u.t.Helper()
	r := u.run("demo\n", "auth", "login", "--host", u.s.URL, "--username", u.name, "--password-stdin", "--insecure-storage")
	if r.Code != 0 {
		u.t.Fatalf("login %s: %+v", u.name, r)
	}
	return u
}

// run runs portalctl with stdin and args in the user's environment.
func (u *user) run(stdin string, args ...string) result {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "portalctl"), args...)
	cmd.Env = u.env
	cmd.Dir = u.home
	return runCommand(u.t, cmd, stdin)
}

// runCommand runs cmd with stdin and returns what it printed and its exit
// code; a command that could not run at all fails the test.
func runCommand(t *testing.T, cmd *exec.Cmd, stdin string) result {
	t.Helper()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{Stdout: out.String(), Stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	return r
}

// ok runs a command that must succeed with nothing on stderr.
func (u *user) ok(args ...string) string {
	u.t.Helper()
	return u.okIn("", args...)
}

func (u *user) okIn(stdin string, args ...string) string {
	u.t.Helper()
	r := u.run(stdin, args...)
	if r.Code != 0 {
		u.t.Fatalf("portalctl %s as %s: exit %d\nstderr: %s", strings.Join(args, " "), u.name, r.Code, r.Stderr)
	}
	return r.Stdout
}

// fails runs a command that must fail with code, an "error:" line on
// stderr mentioning every hint, and nothing on stdout.
func (u *user) fails(code int, hints []string, args ...string) result {
	u.t.Helper()
	r := u.run("", args...)
	if r.Code != code || r.Stdout != "" || !strings.HasPrefix(r.Stderr, "error: ") {
		u.t.Fatalf("portalctl %s as %s: exit %d (want %d), stdout %q, stderr %q", strings.Join(args, " "), u.name, r.Code, code, r.Stdout, r.Stderr)
	}
	for _, h := range hints {
		if !strings.Contains(r.Stderr, h) {
			u.t.Errorf("portalctl %s: stderr %q does not mention %q", strings.Join(args, " "), r.Stderr, h)
		}
	}
	return r
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return string(b)
}
