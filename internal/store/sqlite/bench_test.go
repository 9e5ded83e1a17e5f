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
