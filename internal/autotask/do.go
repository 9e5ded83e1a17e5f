package autotask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds what one answer may hold: a page of 500 records is a few
// MB, an attachment's child read at most Autotask's 6–7 MB in base64.
const maxBody = 64 << 20

// request is one logical API call; send may make several attempts of it.
type request struct {
	method    string
	url       *url.URL
	entity    string // the endpoint the per-entity concurrency cap applies to
	body      []byte
	write     bool // POST/PATCH that changes data: retried only on 429
	discovery bool // zoneInformation: no credentials, outside the budget, errors mean an unknown user name
	noSync    bool // the ThresholdInformation read itself
}

// do sends r and decodes a 2xx body into out (when out is not nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	if !r.discovery && !r.noSync {
		c.maybeSync(ctx)
	}
	body, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &UnavailableError{Reason: fmt.Sprintf("%s %s answered a body that is not the expected JSON", r.method, c.pathOf(r.url)), Err: err}
	}
	return nil
}

// send makes attempts until one succeeds, the error is not worth retrying,
// or MaxRetries retries are spent. Reads retry 429, 502/503/504 and calls
// that got no answer; writes retry only 429, which Autotask answers without
// processing the request, so a write is never applied twice. (net/http may
// itself replay a GET once when a reused keep-alive connection dies before
// answering; it never replays a POST or PATCH.)
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		body, retryAfter, retry, err := c.attempt(ctx, r)
		if err == nil {
			return body, nil
		}
		wait, ok := c.retryWait(r, err, retry, retryAfter, attempt)
		if !ok {
			return nil, err
		}
		c.log.Warn("autotask call failed; retrying", "method", r.method, "path", c.pathOf(r.url),
			"retry", attempt+1, "wait", wait, "error", err.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("autotask: %s %s: %w", r.method, c.pathOf(r.url), err)
		}
	}
}

// retryKind says whether a failed attempt may be retried.
type retryKind int

const (
	noRetry   retryKind = iota
	transient           // no answer, 502, 503, 504: reads only (a write may have been applied)
	refused             // 429 or a thread-limit refusal: Autotask did not process it, writes too
)

func (c *Client) retryWait(r request, err error, retry retryKind, retryAfter time.Duration, attempt int) (time.Duration, bool) {
	if attempt >= c.maxRetries || retry == noRetry || (retry == transient && r.write) {
		return 0, false
	}
	if retryAfter > c.maxRetryWait {
		return 0, false // too long to hold the caller: let it answer 429/503 with Retry-After
	}
	if retryAfter > 0 {
		return retryAfter, true
	}
	return min(c.retryBase<<attempt, c.maxRetryWait), true
}

// attempt makes one HTTP call under the budget and the concurrency caps,
// and says whether a failure may be retried.
func (c *Client) attempt(ctx context.Context, r request) (body []byte, retryAfter time.Duration, retry retryKind, err error) {
	if !r.discovery {
		if err := pace(ctx); err != nil {
			return nil, 0, noRetry, fmt.Errorf("autotask: %s %s: %w", r.method, c.pathOf(r.url), err)
		}
		if err := c.budget.Take(c.now()); err != nil {
			return nil, 0, noRetry, err
		}
	}
	release, err := c.acquire(ctx, endpointOf(c.pathOf(r.url)))
	if err != nil {
		return nil, 0, noRetry, fmt.Errorf("autotask: %s %s: %w", r.method, c.pathOf(r.url), err)
	}
	defer release()

	var reqBody io.Reader = http.NoBody
	if r.body != nil {
		reqBody = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url.String(), reqBody)
	if err != nil {
		return nil, 0, noRetry, fmt.Errorf("autotask: building %s %s: %w", r.method, c.pathOf(r.url), err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if !r.discovery { // zoneInformation needs no credentials: do not hand them out
		req.Header.Set("ApiIntegrationCode", c.creds.IntegrationCode)
		req.Header.Set("UserName", c.creds.Username)
		req.Header.Set("Secret", c.creds.Secret)
	}

	start := time.Now()
	c.calls.Add(1)
	c.sinceSync.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, noRetry, fmt.Errorf("autotask: %s %s: %w", r.method, c.pathOf(r.url), ctx.Err())
		}
		return nil, 0, transient, &UnavailableError{Reason: "no answer", Err: c.scrub(err, r)}
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err == nil && len(body) > maxBody {
		return nil, 0, noRetry, &UnavailableError{Reason: fmt.Sprintf("%s %s answered more than %d MiB", r.method, c.pathOf(r.url), maxBody>>20)}
	}
	c.log.Debug("autotask call", "method", r.method, "path", c.pathOf(r.url), "status", resp.StatusCode,
		"elapsed", time.Since(start))
	if err != nil {
		return nil, 0, transient, &UnavailableError{Reason: "answer cut short", Err: c.scrub(err, r)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, 0, noRetry, nil
	}
	retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	err = c.statusError(r, resp.StatusCode, body, retryAfter)
	var limited *RateLimitError
	switch {
	case errors.As(err, &limited), isThreadRefusal(body):
		retry = refused
	case resp.StatusCode == http.StatusBadGateway, resp.StatusCode == http.StatusServiceUnavailable,
		resp.StatusCode == http.StatusGatewayTimeout:
		retry = transient
	}
	return nil, retryAfter, retry, err
}

// isThreadRefusal recognises Autotask's refusal of a call past its limit of
// concurrent calls per endpoint: code Itgenatr005, "thread threshold … has
// been exceeded", whatever the status (often 500): it was not processed,
// so any call may be retried (msoukhomlinov/n8n-nodes-autotask
// helpers/http/retryHandler.ts; docs/autotask.md §8).
func isThreadRefusal(body []byte) bool {
	s := strings.ToLower(string(body))
	return strings.Contains(s, "itgenatr005") || threadThreshold.MatchString(s)
}

var threadThreshold = regexp.MustCompile(`thread\s+threshold.*exceeded`)

// statusError turns a non-2xx answer into the error type callers act on.
func (c *Client) statusError(r request, status int, body []byte, retryAfter time.Duration) error {
	msgs, fromAutotask := errorMessages(body)
	switch {
	case status == http.StatusUnauthorized:
		return &AuthError{Status: status, Messages: msgs}
	case r.discovery && status != http.StatusTooManyRequests &&
		(status < 500 || (status == http.StatusInternalServerError && fromAutotask)):
		// zoneInformation refuses only a user name it does not know; Autotask
		// answers that with a 500 {"errors":["Zone information could not be
		// determined"]} (docs/autotask.md §2), emulators with a 4xx.
		return &AuthError{Status: status, Messages: msgs}
	case status == http.StatusTooManyRequests:
		return &RateLimitError{RetryAfter: retryAfter}
	case status >= 500:
		return &UnavailableError{Reason: "server error", RetryAfter: retryAfter,
			Err: &APIError{Status: status, Messages: msgs, Method: r.method, Path: c.pathOf(r.url)}}
	default:
		return &APIError{Status: status, Messages: msgs, Method: r.method, Path: c.pathOf(r.url)}
	}
}

// errorMessages reads Autotask's {"errors": [...]} body (entries are
// strings; objects with a "message" are accepted too), then the
// {"Message": "..."} body of a 405 (docs/autotask.md §7). fromAutotask is
// false for a body of another shape (a proxy's HTML page), which is kept
// as a short one-line excerpt.
func errorMessages(body []byte) (msgs []string, fromAutotask bool) {
	var shaped struct {
		Errors  []json.RawMessage `json:"errors"`
		Message string            `json:"message"` // matches "Message" too
	}
	isJSON := json.Unmarshal(body, &shaped) == nil
	if isJSON && len(shaped.Errors) == 0 && shaped.Message != "" {
		return []string{oneLine(shaped.Message)}, true
	}
	if isJSON && len(shaped.Errors) > 0 {
		msgs = make([]string, 0, len(shaped.Errors))
		for _, raw := range shaped.Errors {
			var s string
			var obj struct {
				Message string `json:"message"`
			}
			switch {
			case json.Unmarshal(raw, &s) == nil:
				msgs = append(msgs, s)
			case json.Unmarshal(raw, &obj) == nil && obj.Message != "":
				msgs = append(msgs, obj.Message)
			}
		}
		return msgs, true
	}
	text := oneLine(string(body))
	if text == "" {
		return nil, false
	}
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	return []string{text}, false
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// pathOf is the part of u after the API base, without the query string
// (zone discovery carries the user name there), for messages and logs.
// Autotask spells its paths in either case (/ATServicesRest/V1.0/ in
// nextPageUrls), so the base is matched case-insensitively.
func (c *Client) pathOf(u *url.URL) string {
	if c.base != nil && strings.EqualFold(u.Host, c.base.Host) && len(u.Path) >= len(c.base.Path) &&
		strings.EqualFold(u.Path[:len(c.base.Path)], c.base.Path) {
		return u.Path[len(c.base.Path):]
	}
	return u.Path
}

// scrub replaces the full URL in a transport error by its path.
func (c *Client) scrub(err error, r request) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: c.pathOf(r.url), Err: ue.Err}
	}
	return err
}
