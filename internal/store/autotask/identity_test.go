package autotask_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/storetest"
	"github.com/portalctl/portalctl/pkg/api"
)

// TestLiveAutotaskData: names and statuses come from Autotask (contacts
// cached a minute), logins from the local database, statuses by label.
func TestLiveAutotaskData(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64 // the fake clock's advance
	now := func() time.Time { return fixedNow.Add(time.Duration(offset.Load())) }
	b := newBridge(t, storetest.Fixture(t), autotask.Options{Now: now})

	c, err := b.ContactByUsername(ctx, "ben")
	if err != nil || c.FirstName != "Ben" || !c.Active {
		t.Fatalf("ben: %+v %v", c, err)
	}
	if _, err := b.client.Update(ctx, "Contacts", map[string]any{"id": 1002, "firstName": "Benjamin", "isActive": 0}); err != nil {
		t.Fatal(err)
	}
	if c, _ := b.ContactByUsername(ctx, "ben"); c.FirstName != "Ben" {
		t.Errorf("within a minute the cached contact is used: %+v", c)
	}
	offset.Store(int64(61 * time.Second))
	c, err = b.ContactByUsername(ctx, "ben")
	if err != nil || c.FirstName != "Benjamin" || c.Active || c.Username != "ben" || c.SecurityLevel != "basic" || c.PasswordHash == "" {
		t.Errorf("after a minute, Autotask's name and active flag with the local login: %+v %v", c, err)
	}

	// "Awaiting Parts" is a customer status the portal does not know.
	if _, err := b.client.Update(ctx, "Projects", map[string]any{"id": 2, "status": 31}); err != nil {
		t.Fatal(err)
	}
	var got []api.Project
	err = b.Projects(ctx, store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{101}}, ID: 2},
		func(p api.Project) error { got = append(got, p); return nil })
	if err != nil || len(got) != 1 || got[0].Status != api.ProjectInProgress {
		t.Errorf("an unknown status label reads as in_progress: %+v %v", got, err)
	}
}
