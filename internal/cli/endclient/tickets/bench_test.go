package tickets_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/endclient/tickets"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// benchTickets is bench/list.sh's count: `endclient tickets --all` over
// 10,000 end-client tickets.
const benchTickets = 10_000

// ticketsBody is an NDJSON answer like `portald demo --tickets N`'s,
// encoded with encoding/json as the server's rows look (nulls included).
func ticketsBody(tb testing.TB, n int) []byte {
	tb.Helper()
	statuses := []string{"new", "in_progress", "in_progress", "on_hold", "complete"}
	people := []string{"Priya Nair", "José Álvarez"}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		created := time.Date(2025, time.Month(1+i%12), 1+i%28, 15, 0, 0, 0, time.UTC)
		contract := int64(503)
		t := api.EndClientTicket{ID: int64(200000 + i), Number: fmt.Sprintf("T2025%02d%02d.%05d", 1+i%12, 1+i%28, i),
			Title: fmt.Sprintf("Synthetic ticket %d", i), Status: statuses[i%len(statuses)], OrganizationID: 300,
			OrganizationName: "Tailspin Dental", ContractID: &contract, AssignedResource: &people[i%2],
			Queue: "Service Desk", Category: "Hardware", CreatedAt: created, BilledHours: api.Decimal(25 * (1 + i%32))}
		if t.Status == "complete" {
			done := created.Add(26 * time.Hour)
			t.CompletedAt = &done
		}
		if err := enc.Encode(t); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// BenchmarkTicketsAll runs `endclient tickets --all -o ndjson` (what
// bench/list.sh times against curl) against an in-process server that only
// replays bytes, so the figure is portalctl's own cost: HTTP client,
// NDJSON decoding, row model and writer.
func BenchmarkTicketsAll(b *testing.B) {
	body := ticketsBody(b, benchTickets)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	newClient := func() (*client.Client, error) {
		return client.New(client.Options{BaseURL: srv.URL, Token: "bench", Retries: 3})
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_, _, err := clitest.Run(b, tickets.NewCmdTickets, nil, "--all --include-completed -o ndjson",
			clitest.Opts{Client: newClient})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchTickets)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
