package e2e_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

const projectsRoute = "GET /v1/projects"

// TestRetriesOnlyWhereAllowed puts a fault-injecting proxy in front of a
// real portald and runs portalctl through it: GETs and idempotent writes
// survive 429 (after waiting Retry-After), 502/503/504 and connection resets;
// other writes are sent once; faults that persist end with the documented
// exit code and message (cli.md "Errors and exit codes").
func TestRetriesOnlyWhereAllowed(t *testing.T) {
	s := startServer(t)
	token := s.operatorToken(t, "ben")
	direct := ctlAt(t, s.URL, token)
	projects := direct.ok("projects", "list")

	unavailable := "error: HTTP 503 Service Unavailable (http://HOST%s)\nhint: the portal is temporarily unavailable; try again later\n"
	tests := []struct {
		name     string
		route    string
		faults   []fault
		forever  fault
		args     []string
		code     int
		stdout   string // exactly what portalctl prints
		stderr   string // exact after HOST is replaced; "~" prefix: a regexp
		requests int    // how many the proxy saw
		atLeast  bool   // requests is a minimum: Go's transport may resend a GET on a reset itself
	}{
		{name: "429 with Retry-After, then success", route: projectsRoute,
			faults: []fault{status(429, "1"), status(429, "1")}, args: []string{"projects", "list"},
			stdout: projects, requests: 3},
		{name: "429 persists", route: projectsRoute, forever: status(429, "1"), args: []string{"projects", "list"},
			code: 7, requests: 4,
			stderr: "error: too many requests; retry in 1 s\nhint: the portal is limiting requests; wait the time it names and try again\n"},
		{name: "502 and 503, then success", route: projectsRoute,
			faults: []fault{status(502, ""), status(503, "")}, args: []string{"projects", "list"}, stdout: projects, requests: 3},
		{name: "504, then success", route: projectsRoute,
			faults: []fault{status(504, "")}, args: []string{"projects", "list"}, stdout: projects, requests: 2},
		{name: "503 persists", route: projectsRoute, forever: status(503, ""), args: []string{"projects", "list"},
			code: 1, requests: 4, stderr: fmt.Sprintf(unavailable, "/v1/projects?limit=31")},
		{name: "connection resets, then success", route: projectsRoute,
			faults: []fault{reset, reset}, args: []string{"projects", "list"}, stdout: projects, requests: 3, atLeast: true},
		{name: "connection resets persist", route: projectsRoute, forever: reset, args: []string{"projects", "list"},
			code: 1, requests: 4, atLeast: true, stderr: `~^error: cannot reach HOST: Get "http://HOST/v1/projects\?limit=31": .*connection reset by peer\n$`},
		{name: "task complete is idempotent: retried", route: "POST /v1/tasks/T20260105.0006/complete",
			faults: []fault{afterServing(status(502, ""))}, args: []string{"tasks", "complete", "T20260105.0006", "-o", "json", "--jq", ".status"},
			stdout: "complete\n", requests: 2},
		{name: "note add is not retried", route: "POST /v1/projects/P20260105.0001/notes",
			faults: []fault{status(503, "")}, args: []string{"projects", "note", "add", "P20260105.0001", "--title", "Access", "--body", "VPN works"},
			code: 1, requests: 1, stderr: fmt.Sprintf(unavailable, "/v1/projects/P20260105.0001/notes")},
		{name: "team email is not retried", route: "POST /v1/projects/P20260105.0001/team/email",
			faults: []fault{afterServing(reset)}, args: []string{"team", "email", "--project", "P20260105.0001", "--subject", "Call", "--body", "Please call"},
			code: 1, requests: 1, stderr: `~^error: cannot reach HOST: Post "http://HOST/v1/projects/P20260105.0001/team/email": .*(EOF|connection reset by peer)\n$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, proxyTo(s)).on(tt.route, tt.faults...)
			if tt.forever != nil {
				fs.forever(tt.route, tt.forever)
			}
			r := ctlAt(t, fs.URL, token).run("", tt.args...)
			wantErr := strings.ReplaceAll(tt.stderr, "HOST", hostOf(fs.URL))
			if r.Code != tt.code || r.Stdout != tt.stdout || !matches(r.Stderr, wantErr) {
				t.Fatalf("portalctl %s: exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q",
					join(tt.args), r.Code, r.Stdout, r.Stderr, tt.code, tt.stdout, wantErr)
			}
			got := fs.requests(tt.route)
			if len(got) != tt.requests && (!tt.atLeast || len(got) < tt.requests) {
				t.Errorf("the portal saw %d requests, want %d", len(got), tt.requests)
			}
			for i := 1; i < len(got) && strings.HasPrefix(tt.name, "429"); i++ {
				if wait := got[i].At.Sub(got[i-1].At); wait < 900*time.Millisecond {
					t.Errorf("retry %d came %s after the 429, before its Retry-After: 1", i, wait)
				}
			}
		})
	}
}

// TestIssueNewFilesOnce: the portal files the issue but its answer is lost
// (a 502 from the gateway, then a reset connection). portalctl retries with
// the same Idempotency-Key, gets the issue filed the first time, and the
// project has it once.
func TestIssueNewFilesOnce(t *testing.T) {
	s := startServer(t)
	token := s.operatorToken(t, "ben")
	const route = "POST /v1/projects/P20260105.0001/issues"
	for _, key := range []string{"", "nightly-42"} {
		t.Run("key "+key, func(t *testing.T) {
			title := "Nightly backup failed, key=" + key + "."
			fs := newFaultServer(t, proxyTo(s)).on(route, afterServing(status(502, "")), afterServing(reset))
			args := []string{"issue", "new", "--project", "P20260105.0001", "--title", title, "-o", "json", "--jq", ".title"}
			if key != "" {
				args = append(args, "--idempotency-key", key)
			}
			if r := ctlAt(t, fs.URL, token).run("", args...); r.Code != 0 || r.Stdout != title+"\n" || r.Stderr != "" {
				t.Fatalf("issue new through faults: %+v", r)
			}
			got := fs.requests(route)
			if len(got) != 3 || got[0].IdempotencyKey == "" || got[1].IdempotencyKey != got[0].IdempotencyKey || got[2].IdempotencyKey != got[0].IdempotencyKey {
				t.Fatalf("the portal saw %+v, want 3 requests with one Idempotency-Key", got)
			}
			if key != "" && got[0].IdempotencyKey != key {
				t.Errorf("Idempotency-Key %q, want the one given, %q", got[0].IdempotencyKey, key)
			}
			var issues []map[string]any
			out := ctlAt(t, s.URL, token).ok("issue", "list", "--project", "P20260105.0001", "--all", "-o", "json")
			if err := json.Unmarshal([]byte(out), &issues); err != nil {
				t.Fatal(err)
			}
			if n := len(filterTitle(issues, title)); n != 1 {
				t.Errorf("the project has %d issues titled %q, want 1", n, title)
			}
		})
	}
}

func filterTitle(rows []map[string]any, title string) []map[string]any {
	var out []map[string]any
	for _, r := range rows {
		if r["title"] == title {
			out = append(out, r)
		}
	}
	return out
}

// matches compares stderr exactly, or against a regexp when want starts with "~".
func matches(got, want string) bool {
	if pattern, ok := strings.CutPrefix(want, "~"); ok {
		return regexp.MustCompile(strings.ReplaceAll(pattern, "127.0.0.1", `127\.0\.0\.1`)).MatchString(got)
	}
	return got == want
}
