package hours_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/endclient/hours"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// benchRows is the size of the export the benchmarks serve: large enough
// that per-request costs vanish, small enough to stay in memory.
const benchRows = 200_000

// demoBody is an NDJSON export like `portald demo` data, encoded with
// encoding/json the way the server's rows look (every key, nulls included).
func demoBody(tb testing.TB, n int) []byte {
	tb.Helper()
	clients := []string{"Tailspin Dental", "Fabrikam Clinics", "Contoso Pharmacy"}
	people := []string{"Priya Nair", "Tom Berg", "Sam Tech", "José Álvarez"}
	billed := time.Date(2024, 1, 1, 18, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		hw := api.Decimal(25 * (1 + i%32))
		rate := api.NewDecimal(int64(95+25*(i%2)), 0)
		amount := hw.MulRound(rate)
		row := api.BilledHoursRow{ID: int64(1_000_000 + i), ClientID: int64(300 + i%3), ClientName: clients[i%3],
			ProjectID: new(int64(5 + i%7)), ProjectNumber: new(fmt.Sprintf("P20260201.%04d", 5+i%7)), ProjectName: new("Tailspin office move"),
			WorkedDate: api.Date(billed.AddDate(0, 0, i/500).Format(time.DateOnly)), HoursWorked: hw, HoursBilled: hw,
			Rate: &rate, Amount: &amount, Description: fmt.Sprintf("Synthetic work %d", i), BilledAt: &billed}
		if i%5 != 0 { // some items carry no task and no resource
			task, num, title, who := int64(100+i%9), fmt.Sprintf("T20260201.%04d", i%9), "Move server rack", people[i%4]
			row.TaskID, row.TaskNumber, row.TaskTitle, row.Resource = &task, &num, &title, &who
		}
		if err := enc.Encode(row); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// serveBody answers every request with body as NDJSON, in 32 kB writes
// like a streaming server.
func serveBody(tb testing.TB, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 32<<10)
			if _, err := w.Write(rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkExport runs `endclient hours -o FORMAT --output-file F` end to
// end against an in-process server that only replays bytes, so the figure
// is portalctl's own cost: HTTP client, NDJSON decoding, row model, format
// writer and the atomic file. rows/s is the client's ceiling.
func BenchmarkExport(b *testing.B) {
	body := demoBody(b, benchRows)
	srv := serveBody(b, body)
	newClient := func() (*client.Client, error) {
		return client.New(client.Options{BaseURL: srv.URL, Token: "bench", Retries: 3})
	}
	for _, format := range []string{"csv", "tsv", "json"} {
		b.Run(format, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "hours."+format)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				_, _, err := clitest.Run(b, hours.NewCmdHours, nil, "-o "+format+" --tz UTC --output-file "+out,
					clitest.Opts{Client: newClient})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
