package dataset_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"golang.org/x/crypto/bcrypt"
)

// BenchmarkImport imports 100,000 billing items into a fresh SQLite store;
// b.N imports, reported as rows per second.
func BenchmarkImport(b *testing.B) {
	const items = 100000
	var data bytes.Buffer
	if err := dataset.WriteDemo(&data, dataset.DemoOptions{BillingItems: items}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := dataset.Import(ctx, bytes.NewReader(data.Bytes()), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(items)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
