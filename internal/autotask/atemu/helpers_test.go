package atemu

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
)

var testCreds = autotask.Credentials{Username: "api@northwind.example", Secret: "s3cret", IntegrationCode: "PORTALD"}

// seeded starts an emulator with the demo data set.
func seeded(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Credentials = testCreds
	s := New(opts)
	t.Cleanup(s.Close)
	var buf bytes.Buffer
	if err := dataset.WriteDemo(&buf, dataset.DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(buf.Bytes()); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return s
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// call makes one raw HTTP call with the test credentials, as a client does.
func call(t *testing.T, method, url string, body any) answer {
	t.Helper()
	return callAs(t, testCreds, method, url, body)
}

func callAs(t *testing.T, c autotask.Credentials, method, url string, body any) answer {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("ApiIntegrationCode", c.IntegrationCode)
	req.Header.Set("UserName", c.Username)
	req.Header.Set("Secret", c.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&a.body); err != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %v", method, url, err)
	}
	return a
}

// query posts a query and returns the ids of the first page.
func queryIDs(t *testing.T, s *Server, entity string, body any) []float64 {
	t.Helper()
	a := call(t, "POST", s.URL()+entity+"/query", body)
	if a.status != http.StatusOK {
		t.Fatalf("query %s: status %d %v", entity, a.status, a.body)
	}
	return ids(a.body["items"])
}

func ids(items any) []float64 {
	out := []float64{}
	for _, it := range items.([]any) {
		out = append(out, it.(map[string]any)["id"].(float64))
	}
	return out
}

func leaf(op, field string, v any) map[string]any {
	return map[string]any{"op": op, "field": field, "value": v}
}

func filter(items ...any) map[string]any { return map[string]any{"filter": items} }

func errorsOf(a answer) []any {
	list, _ := a.body["errors"].([]any)
	return list
}
