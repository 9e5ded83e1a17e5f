package autotask

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Raw makes one call as given, under the hourly budget but outside the
// concurrency cap and without retries, and returns Autotask's status and
// body whatever they are: for `portald autotask check`, which asks how a
// tenant answers what the client otherwise never sends (a query over 500
// OR conditions, a fourth concurrent call).
func (c *Client) Raw(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	if err := c.budget.Take(c.now()); err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint(path).String(), rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("ApiIntegrationCode", c.creds.IntegrationCode)
	req.Header.Set("UserName", c.creds.Username)
	req.Header.Set("Secret", c.creds.Secret)
	c.calls.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("autotask: %s %s: %w", method, path, c.scrub(err, request{url: req.URL}))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b, err
}
