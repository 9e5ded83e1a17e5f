// Package client is the Go client of the Portal API v1 (api/openapi.yaml), built on
// resty. It sets the bearer token and User-Agent, retries only what is safe
// to retry, decodes every error into *api.Error, pages lists with iterators
// and streams NDJSON exports. It is the only place that builds API URLs.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/portalctl/portalctl/pkg/api"
)

// Defaults used when an Options field is zero.
const (
	DefaultTimeout      = 60 * time.Second
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
)

// Options configure a Client.
type Options struct {
	BaseURL   string // e.g. https://portal.example.com (without /v1)
	Token     string // bearer token; empty for Login
	UserAgent string // "portalctl/<version>"
	// Transport replaces the HTTP transport (tests pass httpmock.Registry).
	Transport http.RoundTripper
	// Timeout bounds one call including its retries. A stream may run long,
	// but its answer must start, and each read of it return, within Timeout.
	Timeout time.Duration
	// Retries is how many times a retryable call is repeated (0 = never).
	Retries int
	// RetryWaitMin and RetryWaitMax bound the backoff; a Retry-After
	// header is honoured up to RetryWaitMax.
	RetryWaitMin, RetryWaitMax time.Duration
	// Debug, when set, receives one line per request and response with the
	// Authorization header redacted (PORTALCTL_DEBUG=api).
	Debug io.Writer
}

// Client calls the Portal API. It is safe for concurrent use.
type Client struct {
	r       *resty.Client
	opts    Options
	baseURL *url.URL
}

// New builds a Client. BaseURL must be an absolute http or https URL.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid portal URL %q: want https://HOST", opts.BaseURL)
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.RetryWaitMin == 0 {
		opts.RetryWaitMin = DefaultRetryWaitMin
	}
	if opts.RetryWaitMax == 0 {
		opts.RetryWaitMax = DefaultRetryWaitMax
	}
	transport := opts.Transport
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if opts.Debug != nil {
		transport = &debugTransport{next: transport, w: opts.Debug}
	}
	hc := &http.Client{Transport: transport, CheckRedirect: stripAuthOnHostChange}
	r := resty.NewWithClient(hc).
		SetBaseURL(u.String()).
		SetLogger(silentLogger{}).
		SetHeader("Accept", "application/json")
	if opts.UserAgent != "" {
		r.SetHeader("User-Agent", opts.UserAgent)
	}
	if opts.Token != "" {
		r.SetAuthToken(opts.Token)
	}
	configureRetries(r, opts)
	return &Client{r: r, opts: opts, baseURL: u}, nil
}

// BaseURL returns the portal URL the client talks to.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// stripAuthOnHostChange keeps the token away from any host other than the
// one it was issued for, whatever the redirect (net/http's own rule ignores
// ports and allows subdomains; ours is stricter).
func stripAuthOnHostChange(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		req.Header.Del("Authorization")
	}
	return nil
}

// request describes one API call.
type request struct {
	method     string
	path       string
	query      url.Values
	body       any
	bodyType   string // Content-Type of body; "" is JSON
	header     map[string]string
	idempotent bool // a write the server deduplicates: safe to retry
	stream     bool // caller reads the raw body
}

// send performs req and returns the raw response on success. For non-stream
// calls the body has been read already (resp.Body()). HTTP errors come back
// as *api.Error.
func (c *Client) send(ctx context.Context, req request) (*resty.Response, error) {
	r := c.r.R().SetContext(withCall(ctx, callInfo{
		retryable: req.method == http.MethodGet || req.idempotent,
		stream:    req.stream,
	}))
	if req.query != nil {
		r.SetQueryParamsFromValues(req.query)
	}
	for k, v := range req.header {
		r.SetHeader(k, v)
	}
	if req.body != nil {
		ct := req.bodyType
		if ct == "" {
			ct = "application/json"
		}
		r.SetHeader("Content-Type", ct).SetBody(req.body)
	}
	var guard *idleGuard
	if req.stream {
		r.SetDoNotParseResponse(true)
		guard = newIdleGuard(r.Context(), c.opts.Timeout)
		r.SetContext(guard.ctx)
	} else {
		// The deadline covers every attempt; Retry-After waits count too.
		tctx, cancel := context.WithTimeout(r.Context(), c.opts.Timeout)
		defer cancel()
		r.SetContext(tctx)
	}
	resp, err := r.Execute(req.method, req.path)
	if guard != nil {
		if err != nil {
			if guard.stalled() {
				err = context.DeadlineExceeded // no answer within the timeout
			}
			guard.release()
		} else {
			guard.timer.Stop() // the answer started; from now on each read is bounded
			resp.RawResponse.Body = guard.body(resp.RawResponse.Body, req.method+" "+req.path)
		}
	}
	if err != nil {
		closeStream(req, resp)
		return nil, c.transportError(ctx, req, err)
	}
	if resp.StatusCode() >= 400 {
		if ctx.Err() != nil {
			// The caller gave up (Ctrl-C) while this answer came in or
			// while a retry of it waited: that, not the answer, is the outcome.
			closeStream(req, resp)
			return nil, ctx.Err()
		}
		body := resp.Body()
		if req.stream {
			body, _ = io.ReadAll(io.LimitReader(resp.RawBody(), 1<<20))
			_ = resp.RawBody().Close()
		}
		// The response is returned too, for `portalctl api`, which prints
		// error bodies as they are.
		return resp, decodeError(resp.StatusCode(), resp.Header(), body, resp.Request.URL)
	}
	return resp, nil
}

// closeStream releases the body of a streamed response that is not returned.
func closeStream(req request, resp *resty.Response) {
	if req.stream && resp != nil && resp.RawResponse != nil {
		_ = resp.RawResponse.Body.Close()
	}
}

// transportError explains a failure that produced no HTTP response.
func (c *Client) transportError(ctx context.Context, req request, err error) error {
	if ctx.Err() != nil {
		return ctx.Err() // interrupted by the caller (Ctrl-C): not a network problem
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s %s: no answer from %s within %s", req.method, req.path, c.baseURL.Host, c.opts.Timeout)
	}
	if errors.Is(err, http.ErrSchemeMismatch) {
		// A host given without a scheme is taken as https://; a test or
		// demo portal often speaks plain HTTP.
		return fmt.Errorf("cannot reach %s over HTTPS: it answers plain HTTP; use http://%s as the host if that is intended (--host or PORTALCTL_HOST): %w",
			c.baseURL.Host, c.baseURL.Host, err)
	}
	return fmt.Errorf("cannot reach %s: %w", c.baseURL.Host, err)
}

// call sends req and decodes a JSON answer into out (when out is not nil).
func (c *Client) call(ctx context.Context, req request, out any) error {
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return &api.Error{Code: api.CodeInternal, Status: resp.StatusCode(),
			Message: fmt.Sprintf("unexpected response from %s %s: %v", req.method, req.path, err)}
	}
	return nil
}

// decodeError turns an error response into *api.Error. Bodies that are not
// the API's error shape (a proxy's HTML page) still get a code from the status.
func decodeError(status int, header http.Header, body []byte, rawURL string) error {
	var eb api.ErrorBody
	if json.Unmarshal(body, &eb) == nil && eb.Error != nil && eb.Error.Code != "" {
		eb.Error.Status = status
		if eb.Error.RequestID == "" {
			eb.Error.RequestID = header.Get("X-Request-Id")
		}
		return withRetryAfter(eb.Error, header)
	}
	return withRetryAfter(&api.Error{
		Code:      codeForStatus(status),
		Status:    status,
		Message:   fmt.Sprintf("HTTP %d %s (%s)", status, http.StatusText(status), rawURL),
		RequestID: header.Get("X-Request-Id"),
	}, header)
}

func codeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return api.CodeInvalidRequest
	case http.StatusUnauthorized:
		return api.CodeUnauthenticated
	case http.StatusForbidden:
		return api.CodeForbidden
	case http.StatusNotFound:
		return api.CodeNotFound
	case http.StatusConflict:
		return api.CodeConflict
	case http.StatusRequestEntityTooLarge:
		return api.CodeTooLarge
	case http.StatusTooManyRequests:
		return api.CodeRateLimited
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return api.CodeUnavailable
	}
	return api.CodeInternal
}

// silentLogger stops resty from printing "WARN RESTY" lines to stderr on
// every retry: the CLI reports errors itself.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}
