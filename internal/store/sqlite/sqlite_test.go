package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"golang.org/x/crypto/bcrypt"
)

var ctx = context.Background()

func open(t *testing.T) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "portal.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, data []byte) store.Store {
		db, _ := open(t)
		if _, err := dataset.Import(ctx, bytes.NewReader(data), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestReopenKeepsDataAndSkipsMigrations(t *testing.T) {
	db, path := open(t)
	if _, err := dataset.Import(ctx, bytes.NewReader(dataset.DemoJSON), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer again.Close()
	if empty, err := again.IsEmpty(ctx); err != nil || empty {
		t.Fatalf("data lost on re-open: %v %v", empty, err)
	}
	if v, err := again.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity: %q %v", v, err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	db, _ := open(t)
	failure := errors.New("disk on fire")
	err := db.Import(ctx, func(w dataset.Writer) error {
		if err := w.Write(&dataset.Organization{ID: 1, Name: "Half", TimeZone: "UTC"}); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("import error: %v", err)
	}
	if empty, _ := db.IsEmpty(ctx); !empty {
		t.Fatal("a failed import left rows behind")
	}
}

// TestConcurrentWritesNeverBusy: 64 writers at once get no SQLITE_BUSY.
func TestConcurrentWritesNeverBusy(t *testing.T) {
	db, _ := open(t)
	if _, err := dataset.Import(ctx, bytes.NewReader(dataset.DemoJSON), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64*10)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				_, err := db.EnqueueEmail(ctx, store.Email{Kind: "t", To: []string{"x@example.com"}, Subject: fmt.Sprint(g, i), Body: "b"})
				if err != nil {
					errs <- err
				}
				if _, err := db.Organizations(ctx); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	db.Emails(ctx, "", func(store.Email) error { n++; return nil })
	if n != 640 {
		t.Fatalf("%d emails stored, want 640", n)
	}
}
