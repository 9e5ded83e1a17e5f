package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
)

// BenchmarkEndClientPage is chloe (Fabrikam Partners, a billing
// organization) asking for her first page of end-client projects and of
// end-client tickets (and every ticket in one NDJSON answer), and of the
// end clients, on SQLite, through the handler as portald serves it.
// "load" is bench/load.sh's data (10,000 Contoso projects, none billed to
// Fabrikam): the cost there is the projects that are not end-client work.
// "billed" adds 10,000 end-client tickets and 300,000 billing items billed
// to Fabrikam on two projects: the cost there is the billing items.
// cpu-ns/op is the process's CPU per request (GC included).
func BenchmarkEndClientPage(b *testing.B) {
	for _, set := range []struct {
		name string
		opt  dataset.DemoOptions
	}{
		{"load", dataset.DemoOptions{Projects: 10000}},
		{"billed", dataset.DemoOptions{Projects: 10000, Tickets: 10000, BillingItems: 300000}},
	} {
		b.Run(set.name, func(b *testing.B) {
			h, tok := demoServer(b, set.opt, "chloe")
			for _, q := range []struct{ name, path, accept string }{
				{"projects", "/v1/end-client/projects", ""},
				{"tickets", "/v1/end-client/tickets", ""},
				{"clients", "/v1/end-client/clients", ""},
				// bench/list.sh's `endclient tickets --all`: every ticket in one answer.
				{"tickets-all-ndjson", "/v1/end-client/tickets?include_completed=true", "application/x-ndjson"},
			} {
				b.Run(q.name, func(b *testing.B) {
					r, _ := http.NewRequest("GET", "http://portal.test"+q.path, nil)
					r.Header.Set("Authorization", "Bearer "+tok)
					if q.accept != "" {
						r.Header.Set("Accept", q.accept)
					}
					b.ReportAllocs()
					defer reportCPU(b)()
					for b.Loop() {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, r)
						if w.Code != 200 {
							b.Fatalf("status %d: %s", w.Code, w.Body)
						}
					}
				})
			}
		})
	}
}
