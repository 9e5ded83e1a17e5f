package sqlstore_test

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

// TestProjectListReusesNothing: a list scans every row into the same
// targets; each project must come out exactly as when it is read alone,
// NULL columns (no lead, no dates, not completed) included.
func TestProjectListReusesNothing(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := dataset.Import(ctx, bytes.NewReader(dataset.DemoJSON), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
	orgs, err := db.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	scope := store.ProjectScope{}
	for _, o := range orgs {
		scope.OrgIDs = append(scope.OrgIDs, o.ID)
	}
	var all []api.Project
	if err := db.Projects(ctx, store.ProjectQuery{Scope: scope, IncludeCompleted: true},
		func(p api.Project) error { all = append(all, p); return nil }); err != nil {
		t.Fatal(err)
	}
	set := map[string]int{} // per nullable column, how many projects have it
	for _, want := range all {
		var got []api.Project
		if err := db.Projects(ctx, store.ProjectQuery{Scope: scope, IncludeCompleted: true, ID: want.ID},
			func(p api.Project) error { got = append(got, p); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Errorf("project %d in a list: %+v; alone: %+v", want.ID, want, got)
		}
		for col, isSet := range map[string]bool{"lead": want.Lead != nil, "completed_at": want.CompletedAt != nil,
			"end_date": want.EndDate != nil, "estimated_hours": want.EstimatedHours != nil} {
			if isSet {
				set[col]++
			}
		}
	}
	mixed := 0
	for _, n := range set {
		if n > 0 && n < len(all) {
			mixed++
		}
	}
	if mixed == 0 {
		t.Fatalf("the demo data must mix NULL and set columns (%d projects: %v)", len(all), set)
	}
}
