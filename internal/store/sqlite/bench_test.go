package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

func BenchmarkKeysetPage(b *testing.B) {
	storetest.BenchKeysetPage(b, func(b *testing.B, data []byte) store.PortalData {
		ctx := context.Background()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := dataset.Import(ctx, bytes.NewReader(data), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
			b.Fatal(err)
		}
		return db
	})
}

// BenchmarkBilledSummary totals a million billed items (the issue's
// target: under 1 s on SQLite, one aggregate query over an index): by
// month, as `endclient hours --chart` asks, and by every key at once.
func BenchmarkBilledSummary(b *testing.B) {
	ctx := context.Background()
	db := demoBenchDB(b, dataset.DemoOptions{BillingItems: 1_000_000})
	all := store.BilledHoursQuery{BillingOrgID: 200} // Fabrikam Partners
	// One month of the three years the items span: what a monthly invoice
	// asks for.
	month := all
	month.From, month.To = api.Date("2026-11-01"), api.Date("2026-11-30")
	for _, c := range []struct {
		name     string
		q        store.BilledHoursQuery
		by       []string
		minItems int64
	}{
		{"month", all, []string{"month"}, 1_000_000},
		{"client,project,month,resource", all, []string{"client", "project", "month", "resource"}, 1_000_000},
		{"one_month_of_them", month, []string{"month"}, 20_000},
	} {
		b.Run(c.name, func(b *testing.B) {
			var items int64
			for b.Loop() {
				items = 0
				err := db.BilledHoursSummary(ctx, c.q, c.by, func(t api.BilledHoursTotal) error { items += t.Items; return nil })
				if err != nil || items < c.minItems {
					b.Fatalf("%d items, %v", items, err)
				}
			}
			b.ReportMetric(float64(items), "items")
		})
	}
}

// BenchmarkBilledHoursExport streams the billed-hours export of 200,000
// project items and 20,000 ticket items (bench/export.sh's mix) from the
// store: all work, project work only, ticket work only.
func BenchmarkBilledHoursExport(b *testing.B) {
	ctx := context.Background()
	db := demoBenchDB(b, dataset.DemoOptions{BillingItems: 200_000, Tickets: 20_000})
	for _, kind := range []string{"", store.WorkProject, store.WorkTicket} {
		b.Run("kind="+kind, func(b *testing.B) {
			var rows int
			for b.Loop() {
				rows = 0
				q := store.BilledHoursQuery{BillingOrgID: 200, Kind: kind} // Fabrikam Partners
				if err := db.BilledHours(ctx, q, func(api.BilledHoursRow) error { rows++; return nil }); err != nil || rows == 0 {
					b.Fatalf("%d rows, %v", rows, err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// demoBenchDB is a SQLite store holding the demo data with opt's synthetic
// rows, for the length of the benchmark.
func demoBenchDB(b *testing.B, opt dataset.DemoOptions) *sqlite.DB {
	ctx := context.Background()
	var data bytes.Buffer
	if err := dataset.WriteDemo(&data, opt); err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := dataset.Import(ctx, &data, db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		b.Fatal(err)
	}
	return db
}
