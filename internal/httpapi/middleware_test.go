package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
)

// TestAccessLogAndRequestIDs: every request gets one access line naming its
// route, status, request id (the client's when sane, else 16 hex digits,
// also sent back as X-Request-Id) and, once authenticated, the user.
func TestAccessLogAndRequestIDs(t *testing.T) {
	e := newEnvOn(t, "sqlite", httpapi.Options{})
	ben := e.token("ben")
	tests := []struct {
		name, path, token, sentID string
		status                    int
		route                     string
		userID                    float64 // 0: no user_id field
		keepsID                   bool
	}{
		{"authenticated", "/v1/projects", ben, "", 200, "GET /v1/projects", 1002, false},
		{"client's id kept", "/v1/me", ben, "trace-42.a_b", 200, "GET /v1/me", 1002, true},
		{"insane id replaced", "/v1/me", ben, "bad id!", 200, "GET /v1/me", 1002, false},
		{"no token", "/v1/projects", "", "", 401, "GET /v1/projects", 0, false},
		{"unknown path", "/v1/nope", ben, "", 404, "unmatched", 0, false},
	}
	generated := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, tt := range tests {
		e.logs.Reset()
		status, hdr, _ := e.call("GET", tt.path, tt.token, "", "X-Request-Id", tt.sentID)
		id := hdr.Get("X-Request-Id")
		if status != tt.status || (tt.keepsID && id != tt.sentID) || (!tt.keepsID && !generated.MatchString(id)) {
			t.Errorf("%s: status %d, X-Request-Id %q", tt.name, status, id)
		}
		lines := accessLines(t, e.logs.Bytes())
		if len(lines) != 1 {
			t.Fatalf("%s: %d access lines, want 1: %s", tt.name, len(lines), e.logs)
		}
		l := lines[0]
		uid, hasUser := l["user_id"]
		if l["route"] != tt.route || l["status"] != float64(tt.status) || l["request_id"] != id || l["path"] != tt.path ||
			l["method"] != "GET" || hasUser != (tt.userID != 0) || (hasUser && uid != tt.userID) {
			t.Errorf("%s: access line %v", tt.name, l)
		}
	}
}

func accessLines(t *testing.T, logs []byte) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(logs))
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if l["msg"] == "request" {
			out = append(out, l)
		}
	}
	return out
}

// TestQuietLogsStillCount: with info lines off (portald serve --log-level
// error) no access line is written, and the request metrics still count.
func TestQuietLogsStillCount(t *testing.T) {
	svc, _ := portaltest.NewServiceOn(t, "sqlite", portal.Options{})
	var logs bytes.Buffer
	h := httpapi.New(svc, httpapi.Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))})
	srv := httptest.NewServer(h)
	defer srv.Close()
	tok := portaltest.Token(t, svc, "ben")
	for range 3 {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/projects", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%v %v", res, err)
		}
		res.Body.Close()
	}
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `portald_http_requests_total{route="GET /v1/projects",status="200"} 3`) ||
		!strings.Contains(string(body), `portald_http_request_duration_seconds_count{route="GET /v1/projects"} 3`) {
		t.Errorf("metrics:\n%s", body)
	}
	if logs.Len() != 0 {
		t.Errorf("logs at level error: %s", logs.String())
	}
}

// TestMetricsAreLoopbackOnly: /metrics answers loopback clients (a scraper
// on the same host); others get 403 unless the operator opened it with
// --metrics-public (Options.MetricsPublic).
func TestMetricsAreLoopbackOnly(t *testing.T) {
	svc, _ := portaltest.NewService(t, portal.Options{})
	for _, tt := range []struct {
		remote string
		public bool
		want   int
	}{
		{"127.0.0.1:40000", false, 200},
		{"[::1]:40000", false, 200},
		{"192.0.2.7:40000", false, 403},
		{"[2001:db8::7]:40000", false, 403},
		{"192.0.2.7:40000", true, 200},
	} {
		h := httpapi.New(svc, httpapi.Options{MetricsPublic: tt.public})
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = tt.remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want || (tt.want == 200) != strings.Contains(rec.Body.String(), "go_goroutines") {
			t.Errorf("/metrics from %s (public %v): %d %.100s, want %d", tt.remote, tt.public, rec.Code, rec.Body, tt.want)
		}
	}
}
