package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// BenchFactory opens a store holding data (import-format JSON) for a benchmark.
type BenchFactory func(b *testing.B, data []byte) store.PortalData

// BenchKeysetPage measures one page of My Projects at the start and at the
// 1,000th page of 100,000 projects: keyset paging must cost the same
// wherever it is (bench/gobench.sh compares the two).
func BenchKeysetPage(b *testing.B, open BenchFactory) {
	var data bytes.Buffer
	if err := dataset.WriteDemo(&data, dataset.DemoOptions{Projects: 100000}); err != nil {
		b.Fatal(err)
	}
	st := open(b, data.Bytes())
	ctx := context.Background()
	const limit = 30
	// The 999th page's last key, found by walking the ids once.
	var ids []int64
	err := st.Projects(ctx, store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{100}}, Page: store.Page{Limit: 1000 * limit}},
		func(p api.Project) error { ids = append(ids, p.ID); return nil })
	if err != nil || len(ids) < 1000*limit {
		b.Fatalf("%d projects: %v", len(ids), err)
	}
	for _, bc := range []struct {
		name  string
		after *store.Key
	}{{"first", nil}, {"page1000", &store.Key{ID: ids[999*limit-1]}}} {
		b.Run(bc.name, func(b *testing.B) {
			q := store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{100}}, Page: store.Page{After: bc.after, Limit: limit + 1}}
			for b.Loop() {
				n := 0
				if err := st.Projects(ctx, q, func(api.Project) error { n++; return nil }); err != nil || n != limit+1 {
					b.Fatalf("%d rows: %v", n, err)
				}
			}
		})
	}
}
