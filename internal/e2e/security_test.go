package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSecretsStayOutOfLogsDebugAndErrors logs in, works, fails to log in
// and uses a revoked token with PORTALCTL_DEBUG=api, then greps everything
// portalctl printed and everything portald logged for the password, the
// wrong password and the token.
func TestSecretsStayOutOfLogsDebugAndErrors(t *testing.T) {
	s := startServer(t)
	const password, wrong = "h13-Tr0ub4dor&3-correct", "h13-wrong-horse-battery"
	setPassword := exec.Command(filepath.Join(bin, "portald"), "user", "set-password", "--db", s.DB, "--username", "ben", "--password-stdin")
	setPassword.Stdin = strings.NewReader(password)
	if out, err := setPassword.CombinedOutput(); err != nil {
		t.Fatalf("set-password: %v\n%s", err, out)
	}
	ben := s.newUser(t, "ben")
	ben.env = append(ben.env, "PORTALCTL_DEBUG=api")
	var printed strings.Builder
	run := func(wantCode int, stdin string, args ...string) result {
		r := ben.run(stdin, args...)
		if r.Code != wantCode {
			t.Fatalf("portalctl %s: exit %d, want %d: %s", join(args), r.Code, wantCode, r.Stderr)
		}
		printed.WriteString(r.Stderr)
		return r
	}

	run(0, password+"\n", "auth", "login", "--host", s.URL, "--username", "ben", "--password-stdin", "--insecure-storage")
	token := strings.TrimSpace(run(0, "", "auth", "token").Stdout)
	if r := run(0, "", "projects", "list"); !strings.Contains(r.Stderr, "> Authorization: Bearer [REDACTED]") {
		t.Errorf("PORTALCTL_DEBUG=api does not show the redacted request header:\n%s", r.Stderr)
	}
	printed.WriteString(run(0, "", "projects", "list").Stdout)
	for i := range 6 { // five failures a minute per username and address; the good login does not count
		want := map[bool]int{true: 4, false: 7}[i < 5]
		run(want, wrong+"\n", "auth", "login", "--host", s.URL, "--username", "ben", "--password-stdin", "--insecure-storage")
	}
	run(0, "", "auth", "logout")
	ci := ctlAt(t, s.URL, token, "PORTALCTL_DEBUG=api")
	r := ci.run("", "projects", "list")
	if r.Code != 4 {
		t.Fatalf("revoked token: %+v", r)
	}
	printed.WriteString(r.Stderr)

	if !strings.Contains(printed.String(), "error: ") {
		t.Fatal("no error message was captured: the test would prove nothing")
	}
	// portald logs a request after answering it: wait for the last one.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.logs.String(), "login.rate_limited") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	logs := s.logs.String()
	if !strings.Contains(logs, "login.failed") || !strings.Contains(logs, "login.rate_limited") {
		t.Fatalf("portald's log lacks the failed logins:\n%s", logs)
	}
	for _, secret := range []string{password, wrong, token, token[len(token)-12:]} {
		if strings.Contains(printed.String(), secret) {
			t.Errorf("portalctl printed the secret %q to stderr", secret)
		}
		if strings.Contains(logs, secret) {
			t.Errorf("portald logged the secret %q", secret)
		}
	}
}

// TestNoTokenOnCrossHostRedirect: a portal that redirects to another host
// (another port, or another name for the same address) does not get the
// token forwarded there; a redirect within the same host keeps it.
func TestNoTokenOnCrossHostRedirect(t *testing.T) {
	const token = "pct_h13redirectsecret0000000000000000000000000"
	var mu sync.Mutex
	landed := map[string]http.Header{} // path → headers received there
	record := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		landed[r.Host+r.URL.Path] = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"landed":true}`))
	}
	other := httptest.NewServer(http.HandlerFunc(record))
	defer other.Close()
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/landing"):
			record(w, r)
		case r.URL.Path == "/v1/same-host":
			http.Redirect(w, r, "/landing/same", http.StatusFound)
		case r.URL.Path == "/v1/alias":
			http.Redirect(w, r, "http://"+strings.Replace(r.Host, "127.0.0.1", "localhost", 1)+"/landing/alias", http.StatusTemporaryRedirect)
		default: // /v1/301 … /v1/308
			code := map[string]int{"/v1/301": 301, "/v1/302": 302, "/v1/303": 303, "/v1/307": 307, "/v1/308": 308}[r.URL.Path]
			http.Redirect(w, r, other.URL+"/landing"+r.URL.Path, code)
		}
	}))
	defer portal.Close()

	u := ctlAt(t, portal.URL, token)
	tests := []struct {
		path, landing string
		keepsToken    bool
	}{
		{"/v1/same-host", hostOf(portal.URL) + "/landing/same", true},
		{"/v1/alias", strings.Replace(hostOf(portal.URL), "127.0.0.1", "localhost", 1) + "/landing/alias", false},
		{"/v1/301", hostOf(other.URL) + "/landing/v1/301", false},
		{"/v1/302", hostOf(other.URL) + "/landing/v1/302", false},
		{"/v1/303", hostOf(other.URL) + "/landing/v1/303", false},
		{"/v1/307", hostOf(other.URL) + "/landing/v1/307", false},
		{"/v1/308", hostOf(other.URL) + "/landing/v1/308", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			u.t = t
			if out := u.ok("api", tt.path); !strings.Contains(out, `"landed": true`) && !strings.Contains(out, `"landed":true`) {
				t.Fatalf("portalctl api %s printed %q", tt.path, out)
			}
			mu.Lock()
			hdr, ok := landed[tt.landing]
			mu.Unlock()
			if !ok {
				t.Fatalf("nothing landed at %s (%v)", tt.landing, landed)
			}
			if got := hdr.Get("Authorization") == "Bearer "+token; got != tt.keepsToken {
				t.Errorf("Authorization forwarded to %s: %v, want %v", tt.landing, got, tt.keepsToken)
			}
			if !tt.keepsToken {
				for k, v := range hdr {
					if strings.Contains(strings.Join(v, " "), token[4:20]) {
						t.Errorf("the token reached %s in header %s", tt.landing, k)
					}
				}
			}
		})
	}
}

// TestRequestSizeLimit: a body over portald's limit (1 MiB) is refused with
// 413, which portalctl reports as rejected input (exit 6) without retrying.
func TestRequestSizeLimit(t *testing.T) {
	s := startServer(t)
	fs := newFaultServer(t, proxyTo(s))
	u := ctlAt(t, fs.URL, s.operatorToken(t, "ben"))
	big := filepath.Join(u.home, "build.log")
	if err := os.WriteFile(big, []byte(strings.Repeat("backup job output line\n", 100_000)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"projects", "note", "add", "P20260105.0001", "--title", "Huge log", "--body-file", "build.log"},
	} {
		r := u.run("", args...)
		if r.Code != 6 || r.Stdout != "" || !strings.HasPrefix(r.Stderr, "error: ") || !strings.Contains(r.Stderr, "1048576") {
			t.Errorf("portalctl %s: %+v", join(args), r)
		}
	}
	// issue new does not send such a body: it files the log's head and tail
	// and attaches the whole log (up to 16 MiB), each request once.
	r := u.run("", "issue", "new", "--project", "P20260105.0001", "--title", "Huge log", "--body-file", "build.log", "-o", "json", "--jq", `"\(.id) \(.created)"`)
	id, created, _ := strings.Cut(strings.TrimSpace(r.Stdout), " ")
	if r.Code != 0 || created != "true" || r.Stderr != "" {
		t.Errorf("issue new with a 2.3 MB log: %+v", r)
	}
	for _, route := range []string{"POST /v1/projects/P20260105.0001/issues", "POST /v1/projects/P20260105.0001/notes"} {
		if n := len(fs.requests(route)); n != 1 {
			t.Errorf("%s sent %d times, want once", route, n)
		}
	}
	if n := len(fs.requests("POST /v1/tasks/" + id + "/attachments")); n != 1 {
		t.Errorf("the log was attached %d times, want once", n)
	}
}

// TestHostileArgumentsStayParameters: ids on portalctl's command line are
// checked before anything is sent (`../` cannot reach another endpoint),
// and SQL in names and filters is sent as one escaped parameter that is
// just text: a usage error or an ordinary answer, never another org's data.
func TestHostileArgumentsStayParameters(t *testing.T) {
	s := startServer(t)
	fs := newFaultServer(t, proxyTo(s))
	ben := ctlAt(t, fs.URL, s.operatorToken(t, "ben"))
	chloe := ctlAt(t, fs.URL, s.operatorToken(t, "chloe"))
	before := ben.ok("projects", "list", "--all", "-o", "json")
	tests := []struct {
		u     *user
		code  int
		args  []string
		query string // what the portal must have been asked; "" = nothing
	}{
		{ben, 2, []string{"projects", "view", "../../end-client/projects/5"}, ""},
		{ben, 2, []string{"projects", "view", "1 OR 1=1"}, ""},
		{ben, 2, []string{"projects", "notes", "1?org=all"}, ""},
		{ben, 2, []string{"tasks", "view", "T20260201.0005/../../T20260105.0001"}, ""},
		{ben, 2, []string{"attachment", "download", "../901"}, ""},
		{ben, 2, []string{"projects", "list", "--org", "' OR '1'='1"}, "org=' OR '1'='1"},
		{ben, 0, []string{"projects", "list", "--search", "%' OR 1=1 --"}, "q=%' OR 1=1 --"},
		{ben, 5, []string{"endclient", "hours", "--client", "' OR 1=1--"}, "client=' OR 1=1--"},
		{chloe, 2, []string{"endclient", "hours", "--client", "1; DROP TABLE billing_items"}, "client=1; DROP TABLE billing_items"},
	}
	for _, tt := range tests {
		t.Run(join(tt.args), func(t *testing.T) {
			tt.u.t = t
			sent := fs.count()
			r := tt.u.run("", tt.args...)
			if r.Code != tt.code || (tt.code != 0 && r.Stdout != "") || strings.Contains(r.Stdout, "P20260201.0005") {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q", r.Code, tt.code, r.Stdout, r.Stderr)
			}
			if tt.query == "" && fs.count() != sent {
				t.Errorf("%d requests reached the portal", fs.count()-sent)
			}
			if tt.query != "" && !fs.askedQuery(tt.query) {
				t.Errorf("the portal was not asked with %q", tt.query)
			}
		})
	}
	if after := ben.ok("projects", "list", "--all", "-o", "json"); after != before {
		t.Errorf("ben's projects changed:\n%s\n%s", before, after)
	}
}
