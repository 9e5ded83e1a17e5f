package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/portalctl/portalctl/internal/httpapi"
)

// specPath is the contract: every response any test in this package gets
// is validated against it.
const specPath = "../../api/openapi.yaml"

// contract validates real responses against api/openapi.yaml and records
// which operations answered with a success.
type contract struct {
	doc    *openapi3.T
	router routers.Router

	mu        sync.Mutex
	succeeded map[string]bool // "GET /v1/me"
}

var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	doc.Servers = nil // match paths on whatever port httptest picked
	// The calendar feed is text: its schema is a string, its content is
	// checked by the calendar tests with an iCalendar parser.
	openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder)
	return doc, nil
})

func newContract(t *testing.T) *contract {
	t.Helper()
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("api/openapi.yaml: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &contract{doc: doc, router: router, succeeded: map[string]bool{}}
}

// check validates one exchange. Requests for routes the spec does not have
// must be errors in the one error shape.
func (c *contract) check(t *testing.T, req *http.Request, status int, hdr http.Header, body []byte) {
	t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if status < 400 {
			t.Errorf("%s %s answered %d but is not in %s", req.Method, req.URL.Path, status, specPath)
		}
		c.checkSchema(t, req, "ErrorBody", body)
		return
	}
	c.checkErrorListed(t, req, route, status)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	ctype := hdr.Get("Content-Type")
	switch {
	case strings.HasPrefix(ctype, "application/x-ndjson"):
		c.checkNDJSON(t, req, route, body)
	default:
		opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
		if status == http.StatusOK && route.Path == "/v1/attachments/{id}/content" {
			opts.ExcludeResponseBody = true // the file itself: any bytes
		}
		err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: status, Header: hdr, Body: io.NopCloser(bytes.NewReader(body)), Options: opts})
		if err != nil {
			t.Errorf("%s %s → %d does not match %s: %v\nbody: %.400s", req.Method, req.URL, status, specPath, err, body)
		}
	}
	if status < 300 {
		c.mu.Lock()
		c.succeeded[req.Method+" "+route.Path] = true
		c.mu.Unlock()
	}
}

// checkErrorListed fails an error answer whose status the operation does
// not list itself: `default` stands only for 500, so every 4xx, 501 and 503
// a handler really sends is documented where clients look for it.
func (c *contract) checkErrorListed(t *testing.T, req *http.Request, route *routers.Route, status int) {
	t.Helper()
	if status < 400 || status == http.StatusInternalServerError || status == statusClientClosed {
		return
	}
	if route.Operation.Responses.Status(status) == nil {
		t.Errorf("%s %s answered %d, which its operation in %s does not list (add \"%d\": {$ref: \"#/components/responses/…\"})",
			req.Method, route.Path, status, specPath, status)
	}
}

// statusClientClosed is the access log's 499 for a client that hung up:
// nobody receives it.
const statusClientClosed = 499

// checkNDJSON validates every line of a stream against the operation's
// x-ndjson schema (one row per line), or the error shape for a final error line.
func (c *contract) checkNDJSON(t *testing.T, req *http.Request, route *routers.Route, body []byte) {
	t.Helper()
	mt := route.Operation.Responses.Status(http.StatusOK).Value.Content.Get("application/x-ndjson")
	if mt == nil {
		t.Errorf("%s %s streamed NDJSON, which %s does not offer", req.Method, route.Path, specPath)
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Errorf("%s: line is not JSON: %s", route.Path, sc.Bytes())
			continue
		}
		if m, ok := v.(map[string]any); ok && m["error"] != nil {
			c.checkSchema(t, req, "ErrorBody", sc.Bytes())
			continue
		}
		if err := mt.Schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s: NDJSON line does not match %s: %v\n%s", route.Path, specPath, err, sc.Bytes())
		}
	}
}

func (c *contract) checkSchema(t *testing.T, req *http.Request, name string, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s %s: body is not JSON: %.200s", req.Method, req.URL.Path, body)
		return
	}
	if err := c.doc.Components.Schemas[name].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("%s %s: not a %s: %v", req.Method, req.URL.Path, name, err)
	}
}

// operations lists the spec's operations as "METHOD /path".
func (c *contract) operations() []string {
	var ops []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

// TestSpecAndRoutesAgree: every route portald serves is in the spec and
// every operation of the spec is served.
func TestSpecAndRoutesAgree(t *testing.T) {
	c := newContract(t)
	served := httpapi.Routes()
	slices.Sort(served)
	spec := c.operations()
	for _, r := range served {
		if !slices.Contains(spec, r) {
			t.Errorf("portald serves %q, which %s does not describe", r, specPath)
		}
	}
	for _, op := range spec {
		if !slices.Contains(served, op) {
			t.Errorf("%s describes %q, which portald does not serve", specPath, op)
		}
	}
}
