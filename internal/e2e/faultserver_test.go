package e2e_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fault is what the fault server does with one request instead of (or
// after) passing it on.
type fault func(w http.ResponseWriter, r *http.Request, next http.Handler)

// seen is one request as the fault server received it.
type seen struct {
	Method, Path, Query, IdempotencyKey string
	At                                  time.Time
}

// faultServer stands in front of a real portald (or a canned handler): each
// request for "METHOD /path" takes the next fault scripted for it; once the
// script is used up, requests go through to next unchanged.
type faultServer struct {
	*httptest.Server
	next   http.Handler
	mu     sync.Mutex
	script map[string][]fault
	always map[string]fault // once the script is used up
	log    []seen
}

func newFaultServer(t *testing.T, next http.Handler) *faultServer {
	fs := &faultServer{next: next, script: map[string][]fault{}, always: map[string]fault{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(func() {
		fs.CloseClientConnections() // stalled handlers end with their connection
		fs.Close()
	})
	return fs
}

// proxyTo is a reverse proxy to a running portald.
func proxyTo(s *server) http.Handler {
	u, _ := url.Parse(s.URL)
	return httputil.NewSingleHostReverseProxy(u)
}

// on scripts the faults for "METHOD /path", in order.
func (fs *faultServer) on(route string, faults ...fault) *faultServer {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.script[route] = append(fs.script[route], faults...)
	return fs
}

func (fs *faultServer) serve(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	fs.mu.Lock()
	fs.log = append(fs.log, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Idempotency-Key"), time.Now()})
	var f fault
	if queue := fs.script[route]; len(queue) > 0 {
		f, fs.script[route] = queue[0], queue[1:]
	} else {
		f = fs.always[route]
	}
	fs.mu.Unlock()
	if f == nil {
		fs.next.ServeHTTP(w, r)
		return
	}
	f(w, r, fs.next)
}

// forever makes every further request for route fail with f.
func (fs *faultServer) forever(route string, f fault) *faultServer {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.always[route] = f
	return fs
}

// requests returns what was received for "METHOD /path".
func (fs *faultServer) requests(route string) []seen {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []seen
	for _, s := range fs.log {
		if s.Method+" "+s.Path == route {
			out = append(out, s)
		}
	}
	return out
}

// count is how many requests came in.
func (fs *faultServer) count() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.log)
}

// askedQuery reports whether a request came with the query parameter
// "key=value" (compared decoded).
func (fs *faultServer) askedQuery(param string) bool {
	key, value, _ := strings.Cut(param, "=")
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, s := range fs.log {
		if q, err := url.ParseQuery(s.Query); err == nil && q.Get(key) == value {
			return true
		}
	}
	return false
}

// status answers with an API error, as a gateway or portald's rate limiter
// would; retryAfter "" sends no Retry-After header.
func status(code int, retryAfter string) fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		if code >= 500 {
			// Gateways answer with HTML, not the API's error shape.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(code)
			fmt.Fprintf(w, "<html><body>%d %s</body></html>", code, http.StatusText(code))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"error":{"code":"rate_limited","message":"too many requests; retry in %s s"}}`, retryAfter)
	}
}

// reset drops the connection with a TCP RST before any answer.
func reset(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// stall never answers; the handler ends when the client hangs up.
func stall(_ http.ResponseWriter, r *http.Request, _ http.Handler) {
	<-r.Context().Done()
}

// afterServing lets portald handle the request, throws its answer away and
// applies then: the write happened, but the client never hears of it.
func afterServing(then fault) fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		next.ServeHTTP(httptest.NewRecorder(), r)
		then(w, r, next)
	}
}

// operatorToken creates a token for username with portald's CLI: no login
// (logins are rate-limited), as an operator would for a cron job.
func (s *server) operatorToken(t *testing.T, username string) string {
	t.Helper()
	out, err := exec.Command(filepath.Join(bin, "portald"), "token", "create", "--db", s.DB, "--username", username, "--name", "e2e").Output()
	if err != nil {
		t.Fatalf("portald token create: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// ctlAt is a portalctl user whose host and token come from the environment,
// like a CI job's.
func ctlAt(t *testing.T, host, token string, env ...string) *user {
	u := (&server{URL: host, dir: t.TempDir()}).newUser(t, "ci")
	u.env = append(u.env, "PORTALCTL_HOST="+host, "PORTALCTL_TOKEN="+token)
	u.env = append(u.env, env...)
	return u
}

// hostOf is the host:port portalctl names in its messages.
func hostOf(rawURL string) string {
	u, _ := url.Parse(rawURL)
	return u.Host
}
