package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
)

// AttachmentMeta describes a downloaded attachment.
type AttachmentMeta struct {
	ContentType   string
	ContentLength int64 // -1 when unknown
	Filename      string
	ETag          string
	Digest        string
}

// AttachmentContent opens an attachment's content. The caller closes it.
func (c *Client) AttachmentContent(ctx context.Context, id string) (io.ReadCloser, AttachmentMeta, error) {
	resp, err := c.send(ctx, request{method: "GET", path: p("/v1/attachments/%s/content", id), stream: true,
		header: map[string]string{"Accept": "*/*"}})
	if err != nil {
		return nil, AttachmentMeta{}, err
	}
	h := resp.Header()
	meta := AttachmentMeta{
		ContentType:   h.Get("Content-Type"),
		ContentLength: resp.RawResponse.ContentLength,
		ETag:          h.Get("ETag"),
		Digest:        h.Get("Digest"),
	}
	if cd := h.Get("Content-Disposition"); cd != "" {
		if _, params, err := mime.ParseMediaType(cd); err == nil {
			meta.Filename = params["filename"]
		}
	}
	return resp.RawBody(), meta, nil
}

// RawResponse is the answer of Do.
type RawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do performs an authenticated call for `portalctl api`. A path without a
// leading slash is relative to /v1/. body (may be nil) is sent as JSON.
// For HTTP errors both the response and an *api.Error are returned.
func (c *Client) Do(ctx context.Context, method, path string, body json.RawMessage) (*RawResponse, error) {
	method = strings.ToUpper(method)
	if !strings.HasPrefix(path, "/") {
		path = "/v1/" + path
	}
	req := request{method: method, path: path}
	if body != nil {
		req.body = body
	}
	// Split an inline query string so resty does not escape it.
	if before, query, ok := strings.Cut(path, "?"); ok {
		req.path = before
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, fmt.Errorf("invalid query in %q: %w", path, err)
		}
		req.query = q
	}
	resp, err := c.send(ctx, req)
	if resp == nil {
		return nil, err
	}
	return &RawResponse{Status: resp.StatusCode(), Header: resp.Header(), Body: resp.Body()}, err
}

// IsNotFound reports whether err is the API's not_found error.
func IsNotFound(err error) bool { return api.ErrorCode(err) == api.CodeNotFound }
