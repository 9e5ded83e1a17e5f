package e2e_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The helpers of the load and fault tests (load_test.go, crash_test.go,
// shutdown_test.go, outbox_test.go): a portald serve process the test can
// stop with SIGTERM or kill -9 and start again on the same database, and a
// raw HTTP client of the Portal API.

// portaldOK runs a portald administration command that must succeed and
// returns its standard output.
func portaldOK(t *testing.T, args ...string) string {
	t.Helper()
	r := portaldRun(t, "", nil, args...)
	if r.Code != 0 {
		t.Fatalf("portald %s: exit %d\n%s", strings.Join(args, " "), r.Code, r.Stderr)
	}
	return r.Stdout
}

// portaldRun runs a portald command with stdin and extra environment.
func portaldRun(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "portald"), args...)
	cmd.Env = append(os.Environ(), env...)
	return runCommand(t, cmd, stdin)
}

// demoDB fills a fresh demo database and returns its path.
func demoDB(t *testing.T, demoArgs ...string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "portal.db")
	portaldOK(t, append([]string{"demo", "--db", db}, demoArgs...)...)
	return db
}

// mintToken creates a token for username the way an operator does for a
// CI account (logging in 64 times would hit the login rate limit).
func mintToken(t *testing.T, db, username string) string {
	t.Helper()
	return strings.TrimSpace(portaldOK(t, "token", "create", "--db", db, "--username", username, "--name", "load", "--expires", "1h"))
}

// daemon is one portald serve process.
type daemon struct {
	t      *testing.T
	URL    string
	cmd    *exec.Cmd
	logs   *lockedBuffer
	exited chan struct{} // closed when the process has ended
	err    error         // what Wait returned, once exited is closed
}

// startDaemon serves db on a free loopback port, without the per-token
// rate limit (64 clients share a few tokens), until the test ends.
func startDaemon(t *testing.T, db string, args ...string) *daemon {
	t.Helper()
	// No request or email limits: the load tests write task notes (which
	// notify) far faster than a person; the limits have their own tests.
	return launch(t, &lockedBuffer{}, nil, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0",
		"--log-format", "text", "--log-level", "warn", "--rate-limit", "0", "--email-rate", "0"}, args...)...)
}

// launch runs portald with args and env, copies its stderr into logs and
// waits until it prints where it listens. When the test ends a portald
// still running gets SIGINT and 10 s to stop, then SIGKILL.
func launch(t *testing.T, logs *lockedBuffer, env []string, args ...string) *daemon {
	t.Helper()
	d := &daemon{t: t, logs: logs, exited: make(chan struct{})}
	d.cmd = exec.Command(filepath.Join(bin, "portald"), args...)
	d.cmd.Env = append(os.Environ(), env...)
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sent := false; sc.Scan(); {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
			d.logs.WriteString(sc.Text() + "\n")
		}
		d.err = d.cmd.Wait() // only after every read of the pipe
		close(d.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-d.exited:
			return
		default:
		}
		d.cmd.Process.Signal(os.Interrupt)
		select {
		case <-d.exited:
		case <-time.After(10 * time.Second):
			d.cmd.Process.Kill()
			<-d.exited
			t.Error("portald did not stop within 10 s of SIGINT")
		}
	})
	select {
	case d.URL = <-found:
	case <-d.exited:
		t.Fatalf("portald exited at once: %v\n%s", d.err, d.logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("portald did not start:\n%s", d.logs)
	}
	return d
}

// stop sends sig and returns the exit code (-1 when killed by a signal).
func (d *daemon) stop(sig os.Signal) int {
	d.t.Helper()
	d.cmd.Process.Signal(sig)
	return d.wait()
}

// wait waits for the process to end and returns its exit code.
func (d *daemon) wait() int {
	d.t.Helper()
	select {
	case <-d.exited:
	case <-time.After(60 * time.Second):
		d.t.Fatalf("portald did not stop within 60 s\n%s", d.logs)
	}
	var exit *exec.ExitError
	if errors.As(d.err, &exit) {
		return exit.ExitCode()
	}
	return 0
}

// kill is kill -9: no chance to finish anything.
func (d *daemon) kill() {
	d.t.Helper()
	if code := d.stop(syscall.SIGKILL); code != -1 {
		d.t.Fatalf("portald survived SIGKILL (exit %d)", code)
	}
}

// client is a raw Portal API client acting with one token.
type client struct {
	base, token string
	http        *http.Client
}

// transport is shared by every client of a test so 64 goroutines keep
// their connections alive instead of opening one per request.
func newTransport() *http.Transport {
	return &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128, IdleConnTimeout: 30 * time.Second}
}

func newClient(base, token string, tr http.RoundTripper) *client {
	return &client{base: base, token: token, http: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// call sends body (if any) as JSON and decodes a 2xx answer into out. The
// status is 0 when no answer came (refused, reset, killed server); the
// error then says why, and for other statuses it holds the body.
func (c *client) call(method, path string, body, out any, header ...string) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("%s %s: answer cut: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w in %s", method, path, err, b)
		}
	}
	return resp.StatusCode, nil
}

// titles pages through a list endpoint and counts each row's field value.
func (c *client) titles(t *testing.T, path, field string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	cursor := ""
	for {
		var page struct {
			Items      []map[string]any `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		q := path + sep + "limit=500"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		if _, err := c.call("GET", q, nil, &page); err != nil {
			t.Fatalf("reading back: %v", err)
		}
		for _, it := range page.Items {
			s, _ := it[field].(string)
			seen[s]++
		}
		if page.NextCursor == nil {
			return seen
		}
		cursor = *page.NextCursor
	}
}
