package httpmock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// REST matches a method and an exact URL path such as "/v1/projects/12".
func REST(method, path string) Matcher {
	return MatchFunc(method+" "+path, func(req *http.Request) bool {
		return strings.EqualFold(req.Method, method) && req.URL.Path == path
	})
}

// QueryMatcher matches like REST and also requires every given query value.
func QueryMatcher(method, path string, query url.Values) Matcher {
	return MatchFunc(method+" "+path+"?"+query.Encode(), func(req *http.Request) bool {
		if !strings.EqualFold(req.Method, method) || req.URL.Path != path {
			return false
		}
		got := req.URL.Query()
		for k, vs := range query {
			if strings.Join(got[k], ",") != strings.Join(vs, ",") {
				return false
			}
		}
		return true
	})
}

// StringResponse answers 200 with a body.
func StringResponse(body string) Responder { return StatusStringResponse(http.StatusOK, body) }

// StatusStringResponse answers a status with a plain body.
func StatusStringResponse(status int, body string) Responder {
	return func(req *http.Request) (*http.Response, error) {
		return newResponse(req, status, "text/plain", []byte(body)), nil
	}
}

// JSONResponse answers 200 with v encoded as JSON.
func JSONResponse(v any) Responder { return StatusJSONResponse(http.StatusOK, v) }

// StatusJSONResponse answers a status with v encoded as JSON.
func StatusJSONResponse(status int, v any) Responder {
	return func(req *http.Request) (*http.Response, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return newResponse(req, status, "application/json", b), nil
	}
}

// ListResponse answers one page of a list endpoint.
func ListResponse[T any](items []T, nextCursor string) Responder {
	page := api.List[T]{Items: items}
	if page.Items == nil {
		page.Items = []T{}
	}
	if nextCursor != "" {
		page.NextCursor = &nextCursor
	}
	return JSONResponse(page)
}

// ErrorResponse answers with the API's error shape.
func ErrorResponse(status int, code, message string) Responder {
	return StatusJSONResponse(status, api.ErrorBody{Error: &api.Error{Code: code, Message: message}})
}

// NDJSONResponse answers a streamed list: one JSON value a line.
func NDJSONResponse(values ...any) Responder {
	return func(req *http.Request) (*http.Response, error) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, v := range values {
			if err := enc.Encode(v); err != nil {
				return nil, err
			}
		}
		return newResponse(req, http.StatusOK, "application/x-ndjson", buf.Bytes()), nil
	}
}

// WithHeader adds a response header to what r answers.
func WithHeader(r Responder, key, value string) Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := r(req)
		if resp != nil {
			resp.Header.Set(key, value)
		}
		return resp, err
	}
}

// RESTPayload answers with v after handing the decoded JSON request body to
// check, so a test can assert what the command sent.
func RESTPayload(status int, v any, check func(body map[string]any)) Responder {
	return func(req *http.Request) (*http.Response, error) {
		body := map[string]any{}
		b, _ := io.ReadAll(req.Body)
		if len(b) > 0 {
			if err := json.Unmarshal(b, &body); err != nil {
				return nil, fmt.Errorf("httpmock: request body is not JSON: %w", err)
			}
		}
		check(body)
		return StatusJSONResponse(status, v)(req)
	}
}

func newResponse(req *http.Request, status int, contentType string, body []byte) *http.Response {
	return &http.Response{
		StatusCode:    status,
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header:        http.Header{"Content-Type": []string{contentType}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
		Proto:         "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
}

// TestHost is the portal URL the fake client talks to.
const TestHost = "https://portal.test"

// APIClient returns a factory-style Client func whose client talks to the
// registry with token "test-token" and no retries.
func (r *Registry) APIClient() func() (*client.Client, error) {
	return func() (*client.Client, error) {
		return client.New(client.Options{BaseURL: TestHost, Token: "test-token", Transport: r})
	}
}
