// Package httpmock is an http.RoundTripper that answers registered stubs, so
// command tests exercise the real client (headers, paging, errors, retries)
// without a network. An unmatched request fails the call; Verify fails the
// test when a registered stub was never used.
package httpmock

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
)

// Matcher decides whether a stub answers a request; Desc names it in
// failure messages. Build one with REST, QueryMatcher or MatchFunc.
type Matcher struct {
	Desc  string
	Match func(req *http.Request) bool
}

// MatchFunc is a custom matcher.
func MatchFunc(desc string, match func(req *http.Request) bool) Matcher {
	return Matcher{Desc: desc, Match: match}
}

// Responder builds the response for a matched request.
type Responder func(req *http.Request) (*http.Response, error)

type stub struct {
	desc      string
	matcher   func(*http.Request) bool
	responder Responder
	matched   bool
	// repeat stubs answer any number of calls (for retries and paging tests
	// use separate Register calls instead, which answer once each, in order).
	repeat bool
}

// Registry is the fake transport. The zero value is ready to use.
type Registry struct {
	mu       sync.Mutex
	stubs    []*stub
	Requests []*http.Request
	// Bodies holds the request bodies, in the order of Requests.
	Bodies [][]byte
}

// Register adds a stub that answers exactly one matching request.
// Stubs are tried in registration order.
func (r *Registry) Register(m Matcher, resp Responder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = append(r.stubs, &stub{desc: m.Desc, matcher: m.Match, responder: resp})
}

// RegisterAlways adds a stub that answers every matching request.
func (r *Registry) RegisterAlways(m Matcher, resp Responder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = append(r.stubs, &stub{desc: m.Desc, matcher: m.Match, responder: resp, repeat: true})
}

// Verify fails t when a registered stub was never called.
func (r *Registry) Verify(t testing.TB) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.stubs {
		if !s.matched {
			t.Errorf("httpmock: stub %s was registered but not called", s.desc)
		}
	}
}

// RoundTrip implements http.RoundTripper.
func (r *Registry) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	var found *stub
	for _, s := range r.stubs {
		if (s.repeat || !s.matched) && s.matcher(req) {
			found = s
			break
		}
	}
	r.Requests = append(r.Requests, req)
	r.Bodies = append(r.Bodies, body)
	if found != nil {
		found.matched = true
	}
	r.mu.Unlock()
	if found == nil {
		return nil, fmt.Errorf("httpmock: no stub for %s %s", req.Method, req.URL)
	}
	// Give the responder a fresh copy of the body to read.
	req.Body = io.NopCloser(bytes.NewReader(body))
	return found.responder(req)
}

// Client returns an *http.Client using the registry as its transport.
func (r *Registry) Client() *http.Client { return &http.Client{Transport: r} }
