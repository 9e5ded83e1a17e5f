package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// demoRows are billed-hours rows like `portald demo` data: mostly the same
// few clients, projects and people, some items without task or resource.
func demoRows(n int) []api.BilledHoursRow {
	clients := []string{"Tailspin Dental", "Fabrikam Clinics", "Contoso Pharmacy"}
	people := []string{"Priya Nair", "Tom Berg", "Sam Tech", "José Álvarez"}
	billed := time.Date(2024, 1, 1, 18, 0, 0, 0, time.UTC)
	rows := make([]api.BilledHoursRow, n)
	for i := range rows {
		hw := api.Decimal(25 * (1 + i%32))
		rate := api.NewDecimal(int64(95+25*(i%2)), 0)
		amount := hw.MulRound(rate)
		rows[i] = api.BilledHoursRow{ID: int64(1_000_000 + i), Entry: []string{api.EntryNew, api.EntryReversal, api.EntryCorrection}[i%3], ClientID: int64(300 + i%3), ClientName: clients[i%3],
			ProjectID: int64(5 + i%7), ProjectNumber: fmt.Sprintf("P20260201.%04d", 5+i%7), ProjectName: "Tailspin office move",
			WorkedDate: api.Date(billed.AddDate(0, 0, i/500).Format(time.DateOnly)), HoursWorked: hw, HoursBilled: hw,
			Rate: &rate, Amount: &amount, Description: fmt.Sprintf("Synthetic work %d", i), BilledAt: &billed}
		if i%5 != 0 {
			task, num, title, who := int64(100+i%9), fmt.Sprintf("T20260201.%04d", i%9), "Move server rack", people[i%4]
			rows[i].TaskID, rows[i].TaskNumber, rows[i].TaskTitle, rows[i].Resource = &task, &num, &title, &who
		}
	}
	return rows
}

// ndjson encodes values one per line with encoding/json, as portald does.
func ndjson(tb testing.TB, values ...any) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, v := range values {
		if err := enc.Encode(v); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// BenchmarkBilledHoursStream reads a 100,000-row NDJSON export from an
// in-process server that only replays bytes: HTTP and decoding, no output.
func BenchmarkBilledHoursStream(b *testing.B) {
	const n = 100_000
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	for _, r := range demoRows(n) {
		if err := enc.Encode(r); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(body.Bytes())
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL, Token: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rows := 0
		for _, err := range c.BilledHoursStream(context.Background(), BilledHoursQuery{}) {
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		if rows != n {
			b.Fatalf("%d rows, want %d", rows, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDecodeBilledHoursRow is the fast decoder alone on demo lines.
func BenchmarkDecodeBilledHoursRow(b *testing.B) {
	var lines [][]byte
	for _, r := range demoRows(1000) {
		lines = append(lines, bytes.TrimSpace(ndjson(b, r)))
	}
	decode := newBilledHoursDecoder()
	var row api.BilledHoursRow
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		row = api.BilledHoursRow{}
		if !decode(lines[i%len(lines)], &row) {
			b.Fatal("declined a demo line")
		}
		i++
	}
}
