package client

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// debugTransport writes one block per request and response (PORTALCTL_DEBUG=api).
// It sits under resty, so every retry attempt is logged. Bodies are not
// logged: they may hold passwords (login) or large exports.
type debugTransport struct {
	next http.RoundTripper
	w    io.Writer
	mu   sync.Mutex
}

func (d *debugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	d.logf("> %s %s\n%s", req.Method, req.URL, headerLines("> ", req.Header))
	resp, err := d.next.RoundTrip(req)
	if err != nil {
		d.logf("! %s %s: %v\n", req.Method, req.URL, err)
		return nil, err
	}
	d.logf("< %s %s\n%s", resp.Proto, resp.Status, headerLines("< ", resp.Header))
	return resp, nil
}

func (d *debugTransport) logf(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fmt.Fprintf(d.w, format, args...)
}

// headerLines prints headers sorted, with credentials redacted.
func headerLines(prefix string, h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Cookie", "Set-Cookie":
			v = redact(v)
		}
		fmt.Fprintf(&b, "%s%s: %s\n", prefix, k, v)
	}
	return b.String()
}

func redact(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok {
		return scheme + " [REDACTED]"
	}
	return "[REDACTED]"
}
