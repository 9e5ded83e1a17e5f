package e2e_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tourBlock is one shell code block of README.md.
type tourBlock struct {
	line int    // where its fence opens
	text string // the commands, unindented
	skip string // why it is not run ("" = run it)
}

var (
	fence    = regexp.MustCompile("^( *)```(\\S*)\\s*$")
	skipNote = regexp.MustCompile(`^\s*<!-- tour: skip \((.+)\) -->\s*$`)
)

// readmeBlocks returns README.md's shell blocks in order. A block is not
// run only when the line before its fence says why, as
// <!-- tour: skip (reason) -->; a fence of another shell dialect fails the
// test, so no block is left out silently.
func readmeBlocks(t *testing.T, path string) []tourBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		blocks     []tourBlock
		cur        *tourBlock
		indent     string
		prev, skip string
		n          int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		if cur != nil {
			if m := fence.FindStringSubmatch(line); m != nil && m[2] == "" {
				blocks = append(blocks, *cur)
				cur = nil
			} else {
				cur.text += strings.TrimPrefix(line, indent) + "\n"
			}
			continue
		}
		if m := fence.FindStringSubmatch(line); m != nil {
			switch m[2] {
			case "sh", "bash", "shell":
				skip = ""
				if s := skipNote.FindStringSubmatch(prev); s != nil {
					skip = s[1]
				}
				cur, indent = &tourBlock{line: n, skip: skip}, m[1]
				prev = line
				continue
			case "console", "shell-session", "zsh", "fish":
				t.Errorf("README.md:%d: a %q block is neither run nor skipped: use sh (or mark it skipped)", n, m[2])
			}
		}
		if strings.TrimSpace(line) != "" {
			prev = line
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Fatalf("README.md:%d: the code block never ends", cur.line)
	}
	return blocks
}

// TestReadmeTour runs README.md's shell blocks verbatim, in order, in one
// bash, as a reader does from the top of a clone: a temporary directory
// holding the repository's files (its own bin/ and data files), a fresh
// home with no keyring (no D-Bus session), and the commands exactly as
// printed. Two things are set around them, not changed in them: `make` is
// the repository's Makefile writing into that directory's bin/, and the
// server's 127.0.0.1:8787 is a free port instead (PORTALD_ADDR for portald,
// the same text replaced in the blocks), so the test never collides with a
// portald already running on this machine.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both programs with make and runs the whole tour")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(t, filepath.Join(repo, "README.md"))
	clone := t.TempDir()
	entries, err := os.ReadDir(repo)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); name != "bin" && name != "dist" && !strings.HasSuffix(name, ".db") {
			if err := os.Symlink(filepath.Join(repo, name), filepath.Join(clone, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	home := filepath.Join(clone, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)

	var script strings.Builder
	script.WriteString(tourPrelude(repo, addr))
	ran := 0
	for _, b := range blocks {
		if b.skip != "" {
			t.Logf("README.md:%d not run: %s", b.line, b.skip)
			continue
		}
		ran++
		text := strings.ReplaceAll(b.text, "127.0.0.1:8787", addr)
		fmt.Fprintf(&script, "echo '>>> README.md:%d' >&2\n%s", b.line, text)
		if regexp.MustCompile(`portald serve[^\n]*&`).MatchString(text) {
			script.WriteString("__tour_wait_for_server\n")
		}
	}
	if ran < 5 {
		t.Fatalf("only %d README blocks run: the tour has lost its blocks or its shell fences", ran)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = clone
	cmd.Env = tourEnv(t, home, addr)
	// Its own session: no terminal to prompt on (a prompt fails at once
	// instead of waiting), and on a timeout the server it started goes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	r := runCommand(t, cmd, "")
	if r.Code != 0 {
		t.Fatalf("the README tour failed (exit %d) at the last block named on stderr:\n%s\nstdout:\n%s", r.Code, lastLines(r.Stderr, 40), lastLines(r.Stdout, 40))
	}

	// What the reader sees: the projects, the filed issue, the export.
	for _, want := range []string{"Office 365 migration", `"title":"Nightly backup failed"`} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("the tour's output lacks %q:\n%s", want, lastLines(r.Stdout, 60))
		}
	}
	csvs, _ := filepath.Glob(filepath.Join(clone, "hours*.csv"))
	if len(csvs) == 0 {
		t.Errorf("the cron step wrote no hours*.csv")
	}
	for _, f := range csvs {
		if rows := strings.Count(readFile(t, f), "\n"); rows < 2 {
			t.Errorf("%s has %d lines; chloe's demo export has rows", filepath.Base(f), rows)
		}
	}
	// "Stop the server": after the tour nothing listens any more.
	deadline := time.Now().Add(30 * time.Second)
	for listeningOn(addr) {
		if time.Now().After(deadline) {
			t.Fatalf("portald still serves %s after the tour's stop step", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tourPrelude runs before the blocks: strict mode, make on the repository's
// Makefile, the wait for a server started in the background, and the clean-up
// of anything the tour left running.
func tourPrelude(repo, addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	manMissing := `if ! command -v man >/dev/null 2>&1; then man() { echo "tour: man is not installed: the man step is skipped" >&2; }; fi`
	if os.Getenv("PORTALCTL_TEST_NO_SKIP") != "" {
		manMissing = "" // CI installs man-db: a missing man fails the step
	}
	return fmt.Sprintf(`set -euo pipefail
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
make() {
  case " $* " in
  *" test "*|*" bench "*|*" snapshot "*)
    echo "tour: a README block runs make $*, which the tour does not run (make test runs this tour); mark it <!-- tour: skip (reason) -->" >&2
    return 1;;
  esac
  command make --no-print-directory -C %q BIN="$PWD/bin" "$@"
}
%s
__tour_wait_for_server() {
  for _ in $(seq 1 600); do
    (exec 3<>/dev/tcp/%s/%s) 2>/dev/null && return 0
    sleep 0.05
  done
  echo "tour: portald did not start listening on %s" >&2; return 1
}
`, repo, manMissing, host, port, addr)
}

// tourEnv is a new user's environment: a fresh home, no keyring, no
// portalctl settings; the Go toolchain's caches are kept so that make build
// does not rebuild the world.
func tourEnv(t *testing.T, home, addr string) []string {
	t.Helper()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "TERM=dumb",
		"PORTALD_ADDR=" + addr}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "PORTALCTL_TEST_") || strings.HasPrefix(kv, "CGO_") {
			env = append(env, kv)
		}
	}
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", v, err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	return env
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func listeningOn(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
