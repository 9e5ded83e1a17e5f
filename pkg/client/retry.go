package client

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"
)

type callKey struct{}

// callInfo travels in the request context to the retry condition and hook.
type callInfo struct {
	retryable bool // GETs and writes the server deduplicates
	stream    bool // the caller reads the raw body
}

func withCall(ctx context.Context, info callInfo) context.Context {
	return context.WithValue(ctx, callKey{}, info)
}

func callOf(resp *resty.Response) callInfo {
	info, _ := resp.Request.Context().Value(callKey{}).(callInfo)
	return info
}

// retryableStatus lists the answers that mean "try again later".
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// shouldRetry is the single retry rule (cli.md). Adding a resty condition
// replaces resty's default "retry on any transport error", so connection
// errors are handled here explicitly; everything else is never retried.
func shouldRetry(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil {
		return false
	}
	ctx := resp.Request.Context()
	if ctx.Err() != nil {
		return false
	}
	if !callOf(resp).retryable {
		return false
	}
	if err != nil {
		return true
	}
	return retryableStatus(resp.StatusCode())
}

func configureRetries(r *resty.Client, opts Options) {
	if opts.Retries <= 0 {
		return
	}
	r.SetRetryCount(opts.Retries).
		SetRetryWaitTime(opts.RetryWaitMin).
		SetRetryMaxWaitTime(opts.RetryWaitMax).
		// A server asking for a longer wait than RetryWaitMax (an hourly
		// budget spent) gets its error shown at once, not a silent wait
		// of RetryWaitMax per retry.
		AddRetryCondition(func(resp *resty.Response, err error) bool {
			return shouldRetry(resp, err) && (err != nil || retryAfter(resp.Header().Get("Retry-After"), time.Now()) <= opts.RetryWaitMax)
		}).
		SetRetryAfter(func(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
			// 0 means "use the exponential backoff"; resty caps at RetryWaitMax.
			return retryAfter(resp.Header().Get("Retry-After"), time.Now()), nil
		}).
		AddRetryHook(func(resp *resty.Response, _ error) {
			// A streamed response that will be retried is dropped unread;
			// close it so the connection is not leaked.
			if resp != nil && resp.RawResponse != nil && resp.Request != nil &&
				resp.Request.Attempt <= opts.Retries && callOf(resp).stream {
				_ = resp.RawResponse.Body.Close()
			}
		})
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
