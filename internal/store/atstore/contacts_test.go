package atstore_test

import (
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store/atstore"
)

// ben is contact 1002 of the demo data, with Client Portal user 3,001,002.
const benContact = 1002

// A contact deleted in Autotask can no longer use the portal after the
// next removal check, even one given a login with portald user link (an
// override the sync keeps applying, so the missing ClientPortalUsers row
// alone did not end it). The copy keeps the contact's row, inactive: tasks,
// notes and teams still name it.
func TestDeletedContactLosesThePortal(t *testing.T) {
	b, c := openClocked(t, demo(t))
	svc := portal.New(b.Stores(), portal.Options{Now: c.now})
	contact, org, err := atstore.LinkTarget(ctx, b.Client, benContact)
	if err != nil {
		t.Fatal(err)
	}
	if err := atstore.Link(ctx, b.DB, contact, org, atstore.Override{ContactID: benContact, Username: "ben",
		SecurityLevel: "basic", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	ben, err := svc.CreateToken(ctx, "ben", "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	b.Emu.Delete("ClientPortalUsers", 3_001_002)
	b.Emu.Delete("Contacts", benContact)
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass after contact %d was deleted: %v", benContact, err)
	}
	if _, err := svc.Authenticate(ctx, ben.Token); err == nil {
		t.Error("ben, whose contact was deleted in Autotask, still authenticates")
	}
	if _, err := svc.CreateToken(ctx, "ben", "test", time.Hour); err == nil {
		t.Error("a new token for ben, whose contact was deleted in Autotask, was created")
	}
	got, err := b.DB.Stores().Accounts.ContactByUsername(ctx, "ben")
	if err != nil || got.ID != benContact || got.Active {
		t.Errorf("ben's contact in the copy: %+v, %v; want it kept, inactive", got, err)
	}
}
