package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/legacy"
	"golang.org/x/time/rate"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// fuzzEnv is one real server over the fixture for every input of a fuzz
// target: a fresh SQLite store per input would be far too slow.
type fuzzEnv struct {
	srv      *httptest.Server
	contract *contract
	tokens   map[string]string // username → bearer token
}

// fuzzCursorKey is fixed so that the cursors in the checked-in seeds stay
// genuine from run to run.
var fuzzCursorKey = []byte("fuzz-cursor-key-0123456789abcdef")

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	svc, db := portaltest.NewService(f, portal.Options{})
	// No rate limits: thousands of requests a second must reach the handlers.
	srv := httptest.NewServer(httpapi.New(svc, db, httpapi.Options{CursorKey: fuzzCursorKey,
		TokenRate: rate.Inf, TokenBurst: 1, LoginRate: rate.Inf, LoginBurst: 1}))
	f.Cleanup(srv.Close)
	doc, err := loadSpec()
	if err != nil {
		f.Fatalf("api/openapi.yaml: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		f.Fatal(err)
	}
	e := &fuzzEnv{srv: srv, contract: &contract{doc: doc, router: router, succeeded: map[string]bool{}},
		tokens: map[string]string{}}
	for _, u := range []string{"ava", "chloe"} {
		e.tokens[u] = portaltest.Token(f, svc, u)
	}
	return e
}

// call makes a request, checks the answer against api/openapi.yaml and
// that it is never a 5xx, and that an error has the one error shape.
func (e *fuzzEnv) call(t *testing.T, method, path, user string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode >= 500 {
		t.Fatalf("%s %s → %d: %s", method, path, res.StatusCode, b)
	}
	e.contract.check(t, req, res.StatusCode, res.Header, b)
	if res.StatusCode >= 400 {
		if got := errorOf(t, string(b)); got.Code == "" || got.Message == "" || got.RequestID != res.Header.Get("X-Request-Id") {
			t.Fatalf("%s %s → %d without the error shape: %s", method, path, res.StatusCode, b)
		}
	}
	return res.StatusCode, b
}

// cursorRoutes are list queries that page (limit=1) and so issue cursors,
// each with the user who may run it. Pairs differ only in a filter.
var cursorRoutes = []struct{ path, user string }{
	{"/v1/projects?include_completed=true", "ava"},
	{"/v1/projects?include_completed=true&q=P2026", "ava"},
	{"/v1/tasks/open", "ava"},
	{"/v1/tasks/open?project=1", "ava"},
	{"/v1/end-client/projects?include_completed=true", "chloe"},
	{"/v1/end-client/billed-hours?from=2026-01-01", "chloe"},
}

// FuzzCursor sends random and tampered cursors, and genuine cursors of other
// queries, to list endpoints. Properties: never a 5xx; a cursor is accepted
// (200) only if it decodes to one issued for this very query; anything else
// is 400 invalid_cursor. Seeds: testdata/fuzz/FuzzCursor (genuine cursors of
// every query sent to every other) and below.
func FuzzCursor(f *testing.F) {
	e := newFuzzEnv(f)
	issued := make([]map[string]bool, len(cursorRoutes)) // per route: canonical cursors issued
	for i, rt := range cursorRoutes {
		issued[i] = map[string]bool{}
		for k, c := range walkCursors(f, e, rt.path, rt.user) {
			issued[i][canonicalCursor(c)] = true
			if k > 0 {
				continue // every cursor must be known; one per query makes enough seeds
			}
			for j := range cursorRoutes {
				f.Add(byte(j), c)
			}
			f.Add(byte(i), c[:len(c)-1]+"A")
			f.Add(byte(i), strings.Replace(c, ".", "x.", 1))
		}
	}
	for _, s := range []string{"", ".", "abc.def", "e30.AAAAAAAAAAAAAAAAAAAAAA", "%", "a..b", strings.Repeat("A", 300)} {
		f.Add(byte(0), s)
	}
	f.Fuzz(func(t *testing.T, route byte, cursor string) {
		i := int(route) % len(cursorRoutes)
		rt := cursorRoutes[i]
		status, body := e.call(t, "GET", withQuery(rt.path, "limit=1&cursor="+url.QueryEscape(cursor)), rt.user, nil)
		switch {
		case cursor == "":
			if status != 200 {
				t.Fatalf("no cursor → %d: %s", status, body)
			}
		case status == 200:
			if !issued[i][canonicalCursor(cursor)] {
				t.Fatalf("cursor %q was accepted for %s, which never issued it", cursor, rt.path)
			}
		case status != 400 || errorOf(t, string(body)).Code != api.CodeInvalidCursor:
			t.Fatalf("cursor %q → %d %s, want 400 %s", cursor, status, body, api.CodeInvalidCursor)
		}
	})
}

// walkCursors pages through a query one row at a time and returns every
// next_cursor it was given.
func walkCursors(f *testing.F, e *fuzzEnv, path, user string) []string {
	var out []string
	req := withQuery(path, "limit=1")
	for range 50 {
		r, _ := http.NewRequest("GET", e.srv.URL+req, nil)
		r.Header.Set("Authorization", "Bearer "+e.tokens[user])
		res, err := e.srv.Client().Do(r)
		if err != nil {
			f.Fatal(err)
		}
		var page api.List[json.RawMessage]
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			f.Fatalf("%s → %d %v", req, res.StatusCode, err)
		}
		if page.NextCursor == nil {
			break
		}
		out = append(out, *page.NextCursor)
		req = withQuery(path, "limit=1&cursor="+url.QueryEscape(*page.NextCursor))
	}
	if len(out) == 0 {
		f.Fatalf("%s issued no cursor: the fixture needs at least two rows there", path)
	}
	return out
}

func withQuery(path, query string) string {
	if strings.Contains(path, "?") {
		return path + "&" + query
	}
	return path + "?" + query
}

// canonicalCursor is what the server verifies: the decoded payload and
// signature. base64 decoding ignores some bits and newlines, so different
// strings can carry the same signed payload, for the same query only.
func canonicalCursor(c string) string {
	body64, sig64, _ := strings.Cut(c, ".")
	body, err1 := base64.RawURLEncoding.DecodeString(body64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sig64)
	if err1 != nil || err2 != nil {
		return ""
	}
	return string(body) + "." + string(sig)
}

// postRoutes are the POST endpoints that take a JSON body, each with a user
// allowed to call it, so the body itself decides the answer.
// Completing a task takes no body, so it ignores whatever is sent.
var postRoutes = []struct {
	path, user string
	readsBody  bool
}{
	{"/v1/auth/tokens", "", true},
	{"/v1/projects/1/issues", "ava", true},
	{"/v1/projects/1/notes", "ava", true},
	{"/v1/projects/1/team/email", "ava", true},
	{"/v1/tasks/101/notes", "ava", true},
	{"/v1/tasks/105/complete", "ava", false},
	{"/v1/end-client/projects/5/team/email", "chloe", true},
}

// FuzzPostBodies sends random bodies to every POST endpoint. Properties:
// never a 5xx; every answer matches api/openapi.yaml; every 4xx has the
// error shape with a message that reads as a sentence and, when it names a
// field, a field name; only a body that is exactly one JSON object is
// accepted. Seeds: testdata/fuzz/FuzzPostBodies and below.
func FuzzPostBodies(f *testing.F) {
	e := newFuzzEnv(f)
	for i := range postRoutes {
		for _, s := range []string{"", "{}", "null", "[]", `"x"`, "{} {}", `{"title": 5}`, `{"unknown": 1}`,
			`{"title": "x", "title": "y"}`, `{"body": "\u0000"}`, "{\"subject\": \"\xff\"}", `{"title": ` + strings.Repeat("[", 10000)} {
			f.Add(byte(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, route byte, body []byte) {
		rt := postRoutes[int(route)%len(postRoutes)]
		status, answer := e.call(t, "POST", rt.path, rt.user, body)
		if status >= 400 {
			got := errorOf(t, string(answer))
			if got.Message != strings.TrimSpace(got.Message) {
				t.Fatalf("message %q does not start with words", got.Message)
			}
			if field, ok := got.Details["field"]; ok && field == "" {
				t.Fatalf("error names an empty field: %s", answer)
			}
			return
		}
		if trimmed := bytes.TrimSpace(body); rt.readsBody && (!json.Valid(trimmed) || trimmed[0] != '{') {
			t.Fatalf("%s accepted a body that is not one JSON object: %q → %d", rt.path, body, status)
		}
	})
}
