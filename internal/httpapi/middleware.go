package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/pkg/api"
)

type ctxKey int

// keyInfo holds the request's *requestInfo: the one context value the
// middleware adds (each value and each r.WithContext is an allocation).
const keyInfo ctxKey = 100

// requestInfo is what the middleware learns about a request: its id, and
// what inner handlers find out (the matched route, the user) for the access
// log. The mux and auth see copies of the request, so they fill in this
// shared record instead of setting fields on the request.
type requestInfo struct {
	id    string
	route string
	user  *portal.User
}

func infoFrom(r *http.Request) *requestInfo {
	i, _ := r.Context().Value(keyInfo).(*requestInfo)
	return i
}

func requestID(r *http.Request) string {
	if i := infoFrom(r); i != nil {
		return i.id
	}
	return ""
}

func userFrom(r *http.Request) *portal.User {
	if i := infoFrom(r); i != nil {
		return i.user
	}
	return nil
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID honours a sane incoming X-Request-Id or makes one: 16 hex
// digits. Ids only tell requests apart in logs, so they come from the
// per-thread generator of math/rand/v2, not from a system call each.
func (h *handler) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		w.Header()["X-Request-Id"] = []string{id}
		info := &requestInfo{id: id, route: "unmatched"}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyInfo, info)))
	})
}

func newRequestID() string {
	var b [16]byte
	v := mrand.Uint64()
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = "0123456789abcdef"[v&15]
		v >>= 4
	}
	return string(b[:])
}

// statusWriter remembers the status for logs and metrics. It keeps Flush
// and write deadlines working through Unwrap (http.ResponseController).
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe writes the access log line and the request metrics. The access
// line's fields are gathered only when info lines are written at all.
func (h *handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		info := infoFrom(r)
		elapsed := time.Since(start)
		h.metrics.observe(info.route, sw.status, elapsed)
		if !h.log.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", info.route), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.String("request_id", info.id), slog.String("remote", clientIP(r))}
		if info.user != nil {
			attrs = append(attrs, slog.Int64("user_id", info.user.Contact.ID))
		}
		h.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// recover turns a panic into a 500 with the error shape.
func (h *handler) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// authenticate resolves the bearer token and applies the per-token rate limit.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			h.writeError(w, r, api.Errorf(api.CodeUnauthenticated, "authentication required: send Authorization: Bearer <token> (log in with `portalctl auth login`)"))
			return
		}
		u, err := h.svc.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		infoFrom(r).user = u
		if wait, ok := h.tokens.allow(u.TokenID); !ok {
			h.writeError(w, r, rateLimited(wait))
			return
		}
		if c, err := h.svc.Copy(r.Context()); err == nil && c.IsCopy {
			setCopyHeaders(w, c)
		}
		next.ServeHTTP(w, r)
	})
}

func rateLimited(wait time.Duration) *api.Error {
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	return api.Errorf(api.CodeRateLimited, "too many requests; retry in %d s", secs).With("retry_after_seconds", secs)
}

// clientIP is the peer address; portald does not trust forwarding headers.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// notFound answers unknown paths with 404 and known paths asked with the
// wrong method with 405 and an Allow header, both in the error shape.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) == 0 {
		h.writeError(w, r, api.Errorf(api.CodeNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	e := api.Errorf(api.CodeInvalidRequest, "%s is not allowed on %s (use %s)", r.Method, r.URL.Path, strings.Join(allowed, ", "))
	e.RequestID = requestID(r)
	writeJSON(w, http.StatusMethodNotAllowed, api.ErrorBody{Error: e})
}

// plainText refuses a path or query that carries a NUL byte or invalid
// UTF-8: no record is named that way, and PostgreSQL cannot even compare
// such text (it would be a 500 instead of a clear 400).
func (h *handler) plainText(next http.Handler) http.Handler {
	bad := func(s string) bool { return !utf8.ValidString(s) || strings.ContainsRune(s, 0) }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		suspect := bad(r.URL.Path)
		if r.URL.RawQuery != "" { // parsing an empty query still allocates
			for k, vs := range r.URL.Query() {
				// A cursor is checked by its signature and never reaches the
				// database: a mangled one is an invalid_cursor like any other.
				suspect = suspect || bad(k) || k != "cursor" && slices.ContainsFunc(vs, bad)
			}
		}
		if suspect {
			h.writeError(w, r, api.Errorf(api.CodeInvalidRequest, "the address holds a NUL byte or invalid UTF-8; remove it"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
