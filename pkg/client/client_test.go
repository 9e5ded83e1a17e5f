package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/pkg/api"
)

func newTestClient(t *testing.T, url string, mod ...func(*Options)) *Client {
	t.Helper()
	opts := Options{BaseURL: url, Token: "secret-token", UserAgent: "portalctl/test",
		Retries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	for _, m := range mod {
		m(&opts)
	}
	c, err := New(opts)
	require.NoError(t, err)
	return c
}

func writeError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(api.ErrorBody{Error: &api.Error{Code: code, Message: code + " happened"}})
}

// TestRetryMatrix checks which calls are retried on which answers.
func TestRetryMatrix(t *testing.T) {
	type call func(c *Client) error
	get := func(c *Client) error { _, err := c.Project(context.Background(), "42"); return err }
	addNote := func(c *Client) error {
		_, err := c.AddNote(context.Background(), "42", api.NewNote{Title: "t", Body: "b"})
		return err
	}
	issueWithKey := func(c *Client) error {
		_, err := c.NewIssue(context.Background(), "42", api.NewIssue{Title: "t"}, "key-1")
		return err
	}
	issueNoKey := func(c *Client) error {
		_, err := c.NewIssue(context.Background(), "42", api.NewIssue{Title: "t"}, "")
		return err
	}
	complete := func(c *Client) error { _, err := c.CompleteTask(context.Background(), "7"); return err }
	email := func(c *Client) error {
		_, err := c.EmailTeam(context.Background(), "42", api.TeamEmail{Subject: "s", Body: "b"})
		return err
	}
	login := func(c *Client) error {
		_, err := c.Login(context.Background(), api.CreateTokenRequest{Username: "u", Password: "p"})
		return err
	}
	tests := []struct {
		name         string
		call         call
		statuses     []int // answers in order; 200 after the list
		wantAttempts int32
		wantCode     string // "" = success
	}{
		{"GET 503 then ok", get, []int{503, 503}, 3, ""},
		{"GET 502 then ok", get, []int{502}, 2, ""},
		{"GET 504 then ok", get, []int{504}, 2, ""},
		{"GET 429 until retries run out", get, []int{429, 429, 429}, 3, api.CodeRateLimited},
		{"GET 500 is not retried", get, []int{500}, 1, api.CodeInternal},
		{"GET 404 is not retried", get, []int{404}, 1, api.CodeNotFound},
		{"GET 401 is not retried", get, []int{401}, 1, api.CodeUnauthenticated},
		{"note POST is never retried", addNote, []int{503}, 1, api.CodeUnavailable},
		{"issue with idempotency key is retried", issueWithKey, []int{503}, 2, ""},
		{"issue without key is not retried", issueNoKey, []int{503}, 1, api.CodeUnavailable},
		{"complete is retried", complete, []int{502, 429}, 3, ""},
		{"team email is never retried", email, []int{504}, 1, api.CodeUnavailable},
		{"login is never retried", login, []int{429}, 1, api.CodeRateLimited},
	}
	codes := map[int]string{429: api.CodeRateLimited, 500: api.CodeInternal, 502: api.CodeUnavailable,
		503: api.CodeUnavailable, 504: api.CodeUnavailable, 404: api.CodeNotFound, 401: api.CodeUnauthenticated}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var attempts atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(attempts.Add(1))
				if n <= len(tt.statuses) {
					writeError(w, tt.statuses[n-1], codes[tt.statuses[n-1]])
					return
				}
				_, _ = w.Write([]byte(`{"id": 1}`))
			}))
			defer srv.Close()
			err := tt.call(newTestClient(t, srv.URL))
			assert.Equal(t, tt.wantAttempts, attempts.Load())
			if tt.wantCode == "" {
				assert.NoError(t, err)
				return
			}
			var apiErr *api.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Equal(t, tt.statuses[len(tt.statuses)-1], apiErr.Status)
		})
	}
}

// A dropped connection is retried for a GET but not for a plain POST.
func TestRetryOnConnectionError(t *testing.T) {
	for _, tt := range []struct {
		name         string
		post         bool
		wantAttempts int32
	}{{"GET", false, 2}, {"POST", true, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var attempts atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if attempts.Add(1) == 1 {
					panic(http.ErrAbortHandler) // close the connection without an answer
				}
				_, _ = w.Write([]byte(`{"id": 1}`))
			}))
			defer srv.Close()
			c := newTestClient(t, srv.URL)
			var err error
			if tt.post {
				_, err = c.AddNote(context.Background(), "1", api.NewNote{})
			} else {
				_, err = c.Project(context.Background(), "1")
			}
			assert.Equal(t, tt.wantAttempts, attempts.Load())
			if tt.post {
				assert.ErrorContains(t, err, "cannot reach")
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"Sat, 28 Mar 2026 12:00:30 GMT", 30 * time.Second},
		{"Sat, 28 Mar 2026 11:00:00 GMT", 0}, // in the past: use the backoff
		{"soon", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, retryAfter(tt.header, now), tt.header)
	}
}

// Cancelling the context stops a long Retry-After wait at once.
func TestCancelStopsRetryWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeError(w, 429, api.CodeRateLimited)
		cancel() // the user presses Ctrl-C while the client would wait an hour
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, func(o *Options) { o.RetryWaitMax = 2 * time.Hour })
	_, err := c.Me(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

// A Retry-After longer than RetryWaitMax (a spent hourly budget) is shown at
// once: one call, the rate_limited error, no silent waits.
func TestLongRetryAfterIsNotWaited(t *testing.T) {
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.Header().Set("Retry-After", "3600")
		writeError(w, 429, api.CodeRateLimited)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, func(o *Options) { o.RetryWaitMax = time.Minute })
	_, err := c.Me(context.Background())
	var apiErr *api.Error
	if assert.ErrorAs(t, err, &apiErr) {
		assert.Equal(t, api.CodeRateLimited, apiErr.Code)
	}
	assert.Equal(t, int32(1), attempts.Load())
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		status                  int
		wantCode, wantMsg       string
	}{
		{"API error shape", "application/json",
			`{"error":{"code":"forbidden","message":"your security level does not allow viewing the project schedule","details":{"permission":"view_schedule"}}}`,
			403, api.CodeForbidden, "your security level does not allow viewing the project schedule"},
		{"proxy HTML page", "text/html", "<html>Bad Gateway</html>", 502, api.CodeUnavailable, "HTTP 502 Bad Gateway"},
		{"empty 404", "text/plain", "", 404, api.CodeNotFound, "HTTP 404 Not Found"},
		{"unknown 418", "text/plain", "teapot", 418, api.CodeInternal, "HTTP 418"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Header().Set("X-Request-Id", "req-1")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			_, err := newTestClient(t, srv.URL).Schedule(context.Background(), "P20260105.0001")
			var apiErr *api.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Equal(t, tt.status, apiErr.Status)
			assert.Contains(t, apiErr.Message, tt.wantMsg)
			assert.Equal(t, "req-1", apiErr.RequestID)
		})
	}
}

// The token goes only to the host it was issued for.
func TestRedirectDropsTokenOnOtherHost(t *testing.T) {
	var otherAuth, sameAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth.Store(r.Header.Get("Authorization"))
		_, _ = w.Write([]byte(`{"id": 1}`))
	}))
	defer other.Close()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/projects/1":
			http.Redirect(w, r, other.URL+"/v1/projects/1", http.StatusFound)
		case "/v1/projects/2":
			http.Redirect(w, r, srv.URL+"/v1/projects/2b", http.StatusFound)
		default:
			sameAuth.Store(r.Header.Get("Authorization"))
			_, _ = w.Write([]byte(`{"id": 2}`))
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.Project(context.Background(), "1")
	require.NoError(t, err)
	assert.Equal(t, "", otherAuth.Load(), "token leaked to another host")
	_, err = c.Project(context.Background(), "2")
	require.NoError(t, err)
	assert.Equal(t, "Bearer secret-token", sameAuth.Load())
}

func TestDebugLogRedactsToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "portalctl/test", r.Header.Get("User-Agent"))
		_, _ = w.Write([]byte(`{"user":{"username":"jdoe"}}`))
	}))
	defer srv.Close()
	var log bytes.Buffer
	c := newTestClient(t, srv.URL, func(o *Options) { o.Debug = &log })
	me, err := c.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "jdoe", me.User.Username)
	assert.Contains(t, log.String(), "> GET "+srv.URL+"/v1/me")
	assert.Contains(t, log.String(), "> Authorization: Bearer [REDACTED]")
	assert.Contains(t, log.String(), "< HTTP/1.1 200 OK")
	assert.NotContains(t, log.String(), "secret-token")
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "portal.example.com", "ftp://x", "https://"} {
		_, err := New(Options{BaseURL: u})
		assert.ErrorContains(t, err, "invalid portal URL", u)
	}
}

func TestDoRaw(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/missing" {
			writeError(w, 404, api.CodeNotFound)
			return
		}
		b := new(strings.Builder)
		_, _ = b.WriteString(r.Method + " " + r.URL.RequestURI())
		_, _ = w.Write([]byte(`"` + b.String() + `"`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	resp, err := c.Do(context.Background(), "get", "projects?q=a+b&limit=2", nil)
	require.NoError(t, err)
	assert.Equal(t, `"GET /v1/projects?limit=2&q=a+b"`, string(resp.Body))
	resp, err = c.Do(context.Background(), "GET", "/v1/missing", nil)
	assert.True(t, IsNotFound(err))
	require.NotNil(t, resp)
	assert.Equal(t, 404, resp.Status)
	assert.Contains(t, string(resp.Body), "not_found")
	assert.False(t, errors.Is(err, context.Canceled))
}

// A host given without a scheme becomes https://; when the portal answers
// plain HTTP the error says to use http://HOST instead.
func TestPlainHTTPPortalSuggestsHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	c, err := New(Options{BaseURL: "https://" + host})
	require.NoError(t, err)
	_, err = c.Me(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "use http://"+host+" as the host")
	assert.ErrorIs(t, err, http.ErrSchemeMismatch)
}
