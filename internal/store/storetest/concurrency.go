package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
)

// ClaimAll has every claimer (stores of instances sharing one database, or
// one store given several times) call DueEmails concurrently, batch emails at
// a time, until nothing is due; it returns how often each email was claimed.
func ClaimAll(t *testing.T, now time.Time, batch int, claimers ...store.Accounts) map[int64]int {
	t.Helper()
	var mu sync.Mutex
	claims := map[int64]int{}
	var wg sync.WaitGroup
	for _, st := range claimers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := st.DueEmails(ctx, now, batch)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					claims[e.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return claims
}

// testConcurrentWriters: 64 writers at once, each also reading, all succeed
// (no SQLITE_BUSY, no exhausted connection pool).
func testConcurrentWriters(t *testing.T, st store.Stores) {
	var wg sync.WaitGroup
	errs := make(chan error, 64*10*2)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				if _, err := st.Accounts.EnqueueEmail(ctx, store.Email{Kind: "t", To: []string{"x@example.com"}, Subject: fmt.Sprint(g, i), Body: "b"}); err != nil {
					errs <- err
				}
				if _, err := st.Data.Organizations(ctx); err != nil {
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
	if err := st.Accounts.Emails(ctx, "", func(store.Email) error { n++; return nil }); err != nil || n != 640 {
		t.Fatalf("%d emails stored, want 640 (%v)", n, err)
	}
}

// testImportAllOrNothing: an import that fails, in fill or at commit (a
// reference to a record that does not exist), leaves nothing behind.
func testImportAllOrNothing(t *testing.T, newStore Factory) {
	st := newStore(t, []byte(`{"portal":{"support_email":"s@example.com"},"organizations":[{"id":1,"name":"Kept"}]}`))
	imp, ok := st.Data.(dataset.Importer)
	if !ok {
		t.Skip("this store does not import")
	}
	failure := errors.New("disk on fire")
	fails := []struct {
		name string
		fill func(w dataset.Writer) error
	}{
		{"fill fails after a write", func(w dataset.Writer) error {
			if err := w.Write(&dataset.Organization{ID: 2, Name: "Half", TimeZone: "UTC"}); err != nil {
				return err
			}
			return failure
		}},
		{"missing parent found at commit", func(w dataset.Writer) error {
			parent := int64(99)
			return w.Write(&dataset.Organization{ID: 3, Name: "Orphan", TimeZone: "UTC", ParentID: &parent})
		}},
	}
	for _, f := range fails {
		if err := imp.Import(ctx, f.fill); err == nil {
			t.Errorf("%s: import succeeded", f.name)
		}
		orgs, err := st.Data.Organizations(ctx)
		if err != nil || len(orgs) != 1 || orgs[0].Name != "Kept" {
			t.Errorf("%s: organizations after the failed import: %+v %v", f.name, orgs, err)
		}
	}
}
