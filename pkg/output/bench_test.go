package output

import (
	"io"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

// BenchmarkCSVBilledHours measures the export path: every column of a
// billed-hours row to CSV. Reports rows/s; allocs/op is allocs per row.
func BenchmarkCSVBilledHours(b *testing.B) {
	loc := chicago(b)
	row := billedRow(1)
	benchmarkRows(b, Options{Format: FormatCSV, Location: loc}, row)
}

// BenchmarkNDJSONBilledHours is the same export as NDJSON.
func BenchmarkNDJSONBilledHours(b *testing.B) {
	benchmarkRows(b, Options{Format: FormatNDJSON}, billedRow(1))
}

func benchmarkRows(b *testing.B, opts Options, row api.BilledHoursRow) {
	lw, err := NewList(io.Discard, BilledHours, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		row.ID++
		if err := lw.Write(row); err != nil {
			b.Fatal(err)
		}
	}
	if err := lw.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkTableBilledHours is `endclient hours --all` on a terminal, the
// table's end (rendering) included: the table is streamed in batches, so
// memory per row stays flat however long the export (B/op per row).
func BenchmarkTableBilledHours(b *testing.B) {
	opts := Options{Format: FormatTable, IsTTY: true, TerminalWidth: 120, Location: chicago(b)}
	lw, err := NewList(io.Discard, BilledHours, opts)
	if err != nil {
		b.Fatal(err)
	}
	row := billedRow(1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		row.ID++
		if err := lw.Write(row); err != nil {
			b.Fatal(err)
		}
	}
	if err := lw.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
