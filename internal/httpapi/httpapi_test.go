package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

type env struct {
	t        *testing.T
	srv      *httptest.Server
	svc      *portal.Service
	db       portaltest.Store
	logs     *bytes.Buffer
	contract *contract
}

// newEnvOn serves the API on a fixture store of backend (see
// portaltest.EachBackend, which runs a test on each).
func newEnvOn(t *testing.T, backend string, opt httpapi.Options) *env {
	svc, db := portaltest.NewServiceOn(t, backend, portal.Options{})
	logs := &bytes.Buffer{}
	opt.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	srv := httptest.NewServer(httpapi.New(svc, db.Accounts, opt))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: svc, db: db, logs: logs, contract: newContract(t)}
}

// call makes a request and returns the status, headers and body, after
// checking the answer against api/openapi.yaml.
func (e *env) call(method, path, token, body string, hdr ...string) (int, http.Header, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	e.contract.check(e.t, req, res.StatusCode, res.Header, b)
	return res.StatusCode, res.Header, string(b)
}

func (e *env) token(user string) string { return portaltest.Token(e.t, e.svc, user) }

func errorOf(t *testing.T, body string) api.Error {
	t.Helper()
	var eb api.ErrorBody
	if err := json.Unmarshal([]byte(body), &eb); err != nil || eb.Error == nil {
		t.Fatalf("not the error shape: %s", body)
	}
	return *eb.Error
}

func TestErrorsHaveOneShape(t *testing.T) { portaltest.EachBackend(t, testErrorsHaveOneShape) }

func testErrorsHaveOneShape(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	ben := e.token("ben")
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"no token", "GET", "/v1/me", "", "", 401, api.CodeUnauthenticated},
		{"bad token", "GET", "/v1/me", "pct_nope", "", 401, api.CodeUnauthenticated},
		{"unknown route", "GET", "/v1/nothing", ben, "", 404, api.CodeNotFound},
		{"inaccessible project", "GET", "/v1/projects/5", ben, "", 404, api.CodeNotFound},
		{"bad limit", "GET", "/v1/projects?limit=0", ben, "", 400, api.CodeInvalidRequest},
		{"NUL in the path", "GET", "/v1/projects/5%00", ben, "", 400, api.CodeInvalidRequest},
		{"invalid UTF-8 in the query", "GET", "/v1/projects?q=%ff", ben, "", 400, api.CodeInvalidRequest},
		{"NUL in a body field", "POST", "/v1/projects/1/issues", ben, `{"title":"a\u0000b"}`, 400, api.CodeInvalidRequest},
		{"bad bool", "GET", "/v1/projects?include_completed=maybe", ben, "", 400, api.CodeInvalidRequest},
		{"tampered cursor", "GET", "/v1/projects?cursor=abc.def", ben, "", 400, api.CodeInvalidCursor},
		{"unknown field", "POST", "/v1/projects/1/issues", ben, `{"title":"x","colour":"red"}`, 400, api.CodeInvalidRequest},
		{"not JSON", "POST", "/v1/projects/1/issues", ben, `title=x`, 400, api.CodeInvalidRequest},
		{"wrong type", "POST", "/v1/projects/1/issues", ben, `{"title":5}`, 400, api.CodeInvalidRequest},
		{"too large", "POST", "/v1/projects/1/notes", ben, `{"title":"x","body":"` + strings.Repeat("a", 2<<20) + `"}`, 413, api.CodeTooLarge},
		{"not billing", "GET", "/v1/end-client/projects", ben, "", 403, api.CodeNotBillingOrganization},
		{"bad date", "GET", "/v1/end-client/billed-hours?from=2026-02-30", e.token("chloe"), "", 400, api.CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, hdr, body := e.call(tt.method, tt.path, tt.token, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			got := errorOf(t, body)
			if got.Code != tt.code || got.Message == "" || got.RequestID != hdr.Get("X-Request-Id") || got.RequestID == "" {
				t.Fatalf("error %+v", got)
			}
			if status == 401 && hdr.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	status, hdr, body := e.call("DELETE", "/v1/me", ben, "")
	if status != 405 || hdr.Get("Allow") != "GET" || errorOf(t, body).Code != api.CodeInvalidRequest {
		t.Fatalf("wrong method: %d %v %s", status, hdr, body)
	}
}

func TestKeysetPagingWalksEveryRow(t *testing.T) {
	portaltest.EachBackend(t, testKeysetPagingWalksEveryRow)
}

func testKeysetPagingWalksEveryRow(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	ava := e.token("ava")
	var got []string
	path := "/v1/projects?include_completed=true&limit=1"
	for pages := 0; ; pages++ {
		status, _, body := e.call("GET", path, ava, "")
		var page api.List[api.Project]
		if status != 200 || json.Unmarshal([]byte(body), &page) != nil || pages > 10 {
			t.Fatalf("page %d: %d %s", pages, status, body)
		}
		for _, p := range page.Items {
			got = append(got, p.Number)
		}
		if page.NextCursor == nil {
			break
		}
		path = "/v1/projects?include_completed=true&limit=1&cursor=" + *page.NextCursor
	}
	if strings.Join(got, " ") != "P20260105.0001 P20260110.0002 P20251101.0003 P20260302.0007" {
		t.Fatalf("pages gave %v", got)
	}
	// A cursor is bound to its query: reusing it with other filters is refused.
	_, _, body := e.call("GET", "/v1/projects?limit=1", ava, "")
	var page api.List[api.Project]
	json.Unmarshal([]byte(body), &page)
	status, _, body := e.call("GET", "/v1/projects?q=wi&limit=1&cursor="+*page.NextCursor, ava, "")
	if status != 400 || errorOf(t, body).Code != api.CodeInvalidCursor {
		t.Fatalf("cursor replayed on another query: %d %s", status, body)
	}
	if _, _, body := e.call("GET", "/v1/end-client/clients", e.token("chloe"), ""); !strings.Contains(body, `"items":[`) {
		t.Fatalf("lists are wrapped in items: %s", body)
	}
}

func TestBilledHoursNDJSON(t *testing.T) { portaltest.EachBackend(t, testBilledHoursNDJSON) }

func testBilledHoursNDJSON(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	status, hdr, body := e.call("GET", "/v1/end-client/billed-hours", e.token("chloe"), "", "Accept", "application/x-ndjson")
	if status != 200 || hdr.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("%d %v", status, hdr)
	}
	var ids []int64
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		var row api.BilledHoursRow
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		ids = append(ids, row.ID)
	}
	if len(ids) != demoBilledRows || ids[0] != 60004 || !strings.Contains(body, `"hours_billed":3.00`) {
		t.Fatalf("rows %v in\n%s", ids, body)
	}
	// Errors found before streaming starts keep their status.
	status, _, body = e.call("GET", "/v1/end-client/billed-hours", e.token("ben"), "", "Accept", "application/x-ndjson")
	if status != 403 || errorOf(t, body).Code != api.CodeNotBillingOrganization {
		t.Fatalf("%d %s", status, body)
	}
}

func TestIssueIdempotencyOverHTTP(t *testing.T) {
	portaltest.EachBackend(t, testIssueIdempotencyOverHTTP)
}

func testIssueIdempotencyOverHTTP(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	ben := e.token("ben")
	body := `{"title":"Nightly backup failed","description":"see log"}`
	s1, _, b1 := e.call("POST", "/v1/projects/P20260105.0001/issues", ben, body, "Idempotency-Key", "ci-42")
	s2, _, b2 := e.call("POST", "/v1/projects/P20260105.0001/issues", ben, body, "Idempotency-Key", "ci-42")
	var i1, i2 api.Task
	json.Unmarshal([]byte(b1), &i1)
	json.Unmarshal([]byte(b2), &i2)
	if s1 != 201 || s2 != 200 || i1.ID == 0 || i1.ID != i2.ID {
		t.Fatalf("first %d %s, retry %d %s", s1, b1, s2, b2)
	}
	s3, _, b3 := e.call("POST", "/v1/projects/P20260105.0001/issues", ben, `{"title":"other"}`, "Idempotency-Key", "ci-42")
	if s3 != 409 || errorOf(t, b3).Code != api.CodeIdempotencyConflict {
		t.Fatalf("conflict: %d %s", s3, b3)
	}
	if !strings.Contains(e.logs.String(), `"event":"issue.filed"`) {
		t.Error("filing an issue must be audited")
	}
}

func TestLoginRateLimitAndNoSecretsInLogs(t *testing.T) {
	portaltest.EachBackend(t, testLoginRateLimitAndNoSecretsInLogs)
}

func testLoginRateLimitAndNoSecretsInLogs(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	status, _, body := e.call("POST", "/v1/auth/tokens", "", `{"username":"ben","password":"demo","name":"laptop"}`)
	var tok api.CreatedToken
	if status != 201 || json.Unmarshal([]byte(body), &tok) != nil || tok.Token == "" {
		t.Fatalf("login: %d %s", status, body)
	}
	if s, _, _ := e.call("GET", "/v1/me", tok.Token, ""); s != 200 {
		t.Fatalf("token does not work: %d", s)
	}
	var last int
	var hdr http.Header
	for range 6 {
		last, hdr, _ = e.call("POST", "/v1/auth/tokens", "", `{"username":"ben","password":"wrong-password-123"}`)
	}
	if last != 429 || hdr.Get("Retry-After") == "" {
		t.Fatalf("6 quick failed logins: %d, Retry-After %q", last, hdr.Get("Retry-After"))
	}
	logs := e.logs.String()
	for _, secret := range []string{tok.Token, "wrong-password-123", `"demo"`} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain a secret %q", secret)
		}
	}
	if !strings.Contains(logs, `"event":"login.failed"`) || !strings.Contains(logs, `"event":"login.succeeded"`) {
		t.Error("logins must be audited")
	}
	if s, _, _ := e.call("DELETE", "/v1/auth/token", tok.Token, ""); s != 204 {
		t.Fatalf("logout: %d", s)
	}
	if s, _, _ := e.call("GET", "/v1/me", tok.Token, ""); s != 401 {
		t.Fatalf("revoked token still works: %d", s)
	}
}

func TestAttachmentDownloadAndProbes(t *testing.T) {
	portaltest.EachBackend(t, testAttachmentDownloadAndProbes)
}

func testAttachmentDownloadAndProbes(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	status, hdr, body := e.call("GET", "/v1/attachments/900/content", e.token("ben"), "")
	if status != 200 || body != "Migration plan\n" || hdr.Get("Content-Length") != "15" || hdr.Get("Content-Type") != "text/plain" ||
		!strings.HasPrefix(hdr.Get("ETag"), `"sha256:`) || !strings.HasPrefix(hdr.Get("Digest"), "sha-256=") ||
		hdr.Get("Content-Disposition") != `attachment; filename=plan.txt` {
		t.Fatalf("%d %v %q", status, hdr, body)
	}
	// The list names the same digest, except on Autotask, which keeps none
	// (storetest.Options.NoListHashes): there it is "" and only the
	// download carries it.
	digest := strings.TrimSuffix(strings.TrimPrefix(hdr.Get("ETag"), `"sha256:`), `"`)
	if backend == "autotask" {
		digest = ""
	}
	_, _, body = e.call("GET", "/v1/projects/1/attachments", e.token("ben"), "")
	var list api.List[api.Attachment]
	if json.Unmarshal([]byte(body), &list) != nil || len(list.Items) == 0 || list.Items[0].ID != 900 || list.Items[0].SHA256 != digest {
		t.Errorf("attachment list: want sha256 %q for 900: %s", digest, body)
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if s, _, b := e.call("GET", p, "", ""); s != 200 || b == "" {
			t.Errorf("%s: %d", p, s)
		}
	}
	if _, _, b := e.call("GET", "/metrics", "", ""); !strings.Contains(b, `portald_http_requests_total{route="GET /v1/attachments/{id}/content",status="200"} 1`) {
		t.Errorf("metrics by route:\n%s", b)
	}
}

func TestPerTokenRateLimit(t *testing.T) { portaltest.EachBackend(t, testPerTokenRateLimit) }

func testPerTokenRateLimit(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{TokenRate: 1, TokenBurst: 2})
	ben := e.token("ben")
	var statuses []int
	for range 3 {
		s, _, _ := e.call("GET", "/v1/me", ben, "")
		statuses = append(statuses, s)
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != 429 {
		t.Fatalf("statuses %v", statuses)
	}
}
