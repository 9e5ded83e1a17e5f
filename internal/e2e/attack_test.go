package e2e_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// The helpers of the attack tests (attack_*_test.go, issue 17): a real
// portald on SQLite or PostgreSQL, requests that never read their answer,
// other users probing the portal meanwhile, and portald's resident memory
// read from /proc.

// attackBackends are the stores every attack runs on.
var attackBackends = []string{"sqlite", "postgres"}

// attackDB returns a fresh demo database of backend (a SQLite file or a
// PostgreSQL database on the test binary's server) as a --db value. Each
// data set is built once per test binary and copied for every test.
func attackDB(t *testing.T, backend string, demoArgs ...string) string {
	t.Helper()
	name := "demo" + strings.ReplaceAll(strings.Join(demoArgs, "_"), "-", "")
	switch backend {
	case "sqlite":
		v, _ := sqliteDemos.LoadOrStore(name, &sqliteDemo{})
		d := v.(*sqliteDemo)
		d.once.Do(func() {
			d.path = filepath.Join(bin, name+".db") // removed with the binaries
			d.out, d.err = exec.Command(filepath.Join(bin, "portald"), append([]string{"demo", "--db", d.path}, demoArgs...)...).CombinedOutput()
		})
		if d.err != nil {
			t.Fatalf("portald demo: %v\n%s", d.err, d.out)
		}
		db := filepath.Join(t.TempDir(), "portal.db")
		b, err := os.ReadFile(d.path)
		if err == nil {
			err = os.WriteFile(db, b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		return db
	case "postgres":
		return pgtest.NewDatabaseFrom(t, name, func(url string) error {
			out, err := exec.Command(filepath.Join(bin, "portald"), append([]string{"demo", "--db", url}, demoArgs...)...).CombinedOutput()
			if err != nil {
				return fmt.Errorf("portald demo: %w\n%s", err, out)
			}
			return nil
		})
	}
	t.Fatalf("no backend %q", backend)
	return ""
}

// sqliteDemos are the SQLite data sets attackDB built, by name.
var sqliteDemos sync.Map // string → *sqliteDemo

type sqliteDemo struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// mintTokens creates a token for each username, several processes at a
// time, and returns them in order.
func mintTokens(t *testing.T, db string, usernames ...string) []string {
	t.Helper()
	out := make([]string, len(usernames))
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	for i, u := range usernames {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			r := portaldRun(t, "", nil, "token", "create", "--db", db, "--username", u, "--name", "attack", "--expires", "1h")
			if r.Code != 0 {
				t.Errorf("portald token create: exit %d: %s", r.Code, r.Stderr)
			}
			out[i] = strings.TrimSpace(r.Stdout)
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return out
}

// eachBackend runs test on every attack backend, one after the other: each
// attack measures latency, which parallel attacks would distort.
func eachBackend(t *testing.T, test func(t *testing.T, backend string)) {
	for _, b := range attackBackends {
		t.Run(b, func(t *testing.T) { test(t, b) })
	}
}

// stalled is a request whose answer its client does not read: a tiny
// receive buffer, nothing read past the status line.
type stalled struct {
	conn   net.Conn
	status int
	header http.Header
}

// stallRequest sends GET path with token and extra headers on a connection with a
// 4 KiB receive buffer, reads the status line and headers (a few hundred
// bytes) and then nothing more. The connection closes when the test ends.
// status is 0 when no answer started within 5 s.
func stallRequest(t *testing.T, base, token, path string, header ...string) *stalled {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n", path, u.Host, token)
	for i := 0; i+1 < len(header); i += 2 {
		req += header[i] + ": " + header[i+1] + "\r\n"
	}
	if _, err := conn.Write([]byte(req + "\r\n")); err != nil {
		t.Fatal(err)
	}
	s := &stalled{conn: conn, header: http.Header{}}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	// A bufio.Reader of 16 bytes reads little past the headers: what it
	// does read stays in the kernel's buffer otherwise.
	br := bufio.NewReaderSize(conn, 16)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Logf("GET %s: no status line: %v", path, err)
		return s
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		t.Fatalf("GET %s: status line %q", path, line)
	}
	s.status, _ = strconv.Atoi(fields[1])
	for {
		h, err := br.ReadString('\n')
		if err != nil {
			t.Logf("GET %s: headers cut: %v", path, err)
			return s
		}
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		k, v, _ := strings.Cut(h, ":")
		s.header.Add(k, strings.TrimSpace(v))
	}
	conn.SetReadDeadline(time.Time{})
	return s
}

// probeResult is what other users saw while an attack ran.
type probeResult struct {
	latencies []time.Duration
	statuses  map[int]int // 0: no answer within the probe timeout
	failures  []string
}

func (p *probeResult) p99() time.Duration {
	s := slices.Clone(p.latencies)
	slices.Sort(s)
	return percentile(s, 99)
}

// bad counts 5xx answers and requests that got no answer.
func (p *probeResult) bad() int {
	n := p.statuses[0]
	for st, c := range p.statuses {
		if st >= 500 {
			n += c
		}
	}
	return n
}

// probe has one client per token request each path in turn, one request
// at a time per client, until ctx ends. A request gets 3 s: a portal that
// takes longer is frozen for this test's purpose.
func probe(ctx context.Context, base string, tokens []string, paths []string) *probeResult {
	return probeWith(ctx, base, len(tokens), func(c, _ int) string { return tokens[c] }, paths)
}

// probeWith is probe with clients clients, the i-th request of client c
// sent with token(c, i).
func probeWith(ctx context.Context, base string, clients int, token func(c, i int) string, paths []string) *probeResult {
	res := &probeResult{statuses: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	hc := &http.Client{Timeout: 3 * time.Second, Transport: newTransport()}
	for c := range clients {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				path := paths[i%len(paths)]
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("Authorization", "Bearer "+token(c, i))
				start := time.Now()
				resp, err := hc.Do(req)
				status := 0
				if err == nil {
					status = resp.StatusCode
					_, err = drain(resp)
				}
				el := time.Since(start)
				mu.Lock()
				res.latencies = append(res.latencies, el)
				res.statuses[status]++
				if err != nil || status >= 500 {
					res.failures = append(res.failures, fmt.Sprintf("GET %s: %d %v after %s", path, status, err, el.Round(time.Millisecond)))
				}
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	return res
}

func drain(resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	var n int64
	buf := make([]byte, 32<<10)
	for {
		m, err := resp.Body.Read(buf)
		n += int64(m)
		if err != nil {
			if err.Error() == "EOF" {
				return n, nil
			}
			return n, err
		}
	}
}

// rssSampler records the largest resident set of a process, read from
// /proc/PID/status every 100 ms until stopped.
type rssSampler struct {
	max  int64 // bytes
	stop chan struct{}
	done chan struct{}
}

func sampleRSS(t *testing.T, pid int) *rssSampler {
	t.Helper()
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	if _, err := rss(pid); err != nil {
		t.Fatalf("cannot read portald's memory: %v", err)
	}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if n, err := rss(pid); err == nil && n > s.max {
				s.max = n
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peak in bytes.
func (s *rssSampler) finish() int64 {
	close(s.stop)
	<-s.done
	return s.max
}

// rss is VmRSS of pid in bytes.
func rss(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

const attackRSSLimit = 128 << 20

// checkRSS stops sampling and fails the test if portald's resident memory
// reached attackRSSLimit.
func checkRSS(t *testing.T, mem *rssSampler) {
	t.Helper()
	if peak := mem.finish(); peak >= attackRSSLimit {
		t.Errorf("portald's resident memory reached %d MiB, want under %d MiB", peak>>20, attackRSSLimit>>20)
	} else {
		t.Logf("portald's peak resident memory: %d MiB", peak>>20)
	}
}

// checkProbes fails the test unless the probes were all answered, none
// with a 5xx, and their p99 stayed under a second.
func checkProbes(t *testing.T, what string, p *probeResult) {
	t.Helper()
	t.Logf("%s: %d probe requests, statuses %v, p99 %s", what, len(p.latencies), p.statuses, p.p99())
	if len(p.latencies) == 0 {
		t.Fatalf("%s: no probe ran", what)
	}
	if n := p.bad(); n > 0 {
		t.Errorf("%s: %d probes got a 5xx or no answer within 3 s; first: %s", what, n, strings.Join(p.failures[:min(5, len(p.failures))], "; "))
	}
	if p99 := p.p99(); p99 >= time.Second {
		t.Errorf("%s: other users' p99 latency %s, want under 1 s", what, p99)
	}
}
