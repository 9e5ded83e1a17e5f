package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/pkg/api"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyUser
)

func requestID(r *http.Request) string { s, _ := r.Context().Value(keyRequestID).(string); return s }

func userFrom(r *http.Request) *portal.User {
	u, _ := r.Context().Value(keyUser).(*portal.User)
	return u
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID honours a sane incoming X-Request-Id or makes one.
func (h *handler) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequestID, id)))
	})
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

// observe writes the access log line and the request metrics. The user is
// known only after authentication, so a holder for it rides in the context.
func (h *handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := &requestInfo{route: "unmatched"}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), keyInfo, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := info.route
		elapsed := time.Since(start)
		h.metrics.observe(route, sw.status, elapsed)
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.String("request_id", w.Header().Get("X-Request-Id")), slog.String("remote", clientIP(r))}
		if info.userID != 0 {
			attrs = append(attrs, slog.Int64("user_id", info.userID))
		}
		h.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// requestInfo carries what inner handlers learn (the matched route, the
// user) back out to the access log: the mux and auth see a copy of the
// request, so they cannot set fields on the one observe holds.
type requestInfo struct {
	route  string
	userID int64
}

const keyInfo ctxKey = 100

func infoFrom(r *http.Request) *requestInfo {
	i, _ := r.Context().Value(keyInfo).(*requestInfo)
	return i
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
		if info := infoFrom(r); info != nil {
			info.userID = u.Contact.ID
		}
		if wait, ok := h.tokens.allow("token:" + strconv.FormatInt(u.TokenID, 10)); !ok {
			h.writeError(w, r, rateLimited(wait))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyUser, u)))
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
		for k, vs := range r.URL.Query() {
			// A cursor is checked by its signature and never reaches the
			// database: a mangled one is an invalid_cursor like any other.
			suspect = suspect || bad(k) || k != "cursor" && slices.ContainsFunc(vs, bad)
		}
		if suspect {
			h.writeError(w, r, api.Errorf(api.CodeInvalidRequest, "the address holds a NUL byte or invalid UTF-8; remove it"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
