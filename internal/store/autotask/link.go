package autotask

import (
	"context"
	"errors"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// LinkTarget reads the Autotask contact id and its company. A contact
// Autotask does not have is store.ErrNotFound.
func LinkTarget(ctx context.Context, c *at.Client, id int64) (store.Contact, store.Organization, error) {
	var a atContact
	if err := c.Get(ctx, "Contacts", id, &a); errors.Is(err, at.ErrNotFound) {
		return store.Contact{}, store.Organization{}, store.ErrNotFound
	} else if err != nil {
		return store.Contact{}, store.Organization{}, upstream(err)
	}
	var co atCompany
	if err := c.Get(ctx, "Companies", a.CompanyID, &co); err != nil {
		return store.Contact{}, store.Organization{}, upstream(err)
	}
	contact := store.Contact{ID: a.ID, OrganizationID: a.CompanyID, FirstName: a.FirstName, LastName: a.LastName,
		Email: a.EmailAddress, Phone: a.Phone, Active: bool(a.IsActive)}
	org := store.Organization{ID: co.ID, Name: co.CompanyName, ParentID: co.ParentCompanyID}
	return contact, org, nil
}

// Override is what portald user link sets for a contact over Autotask's
// ClientPortalUsers; the sync keeps applying it.
type Override struct {
	ContactID     int64
	Username      string
	SecurityLevel string
	Enabled       bool
	TimeZone      string // the company's time zone, when set
}

// Link stores an override and writes the contact, its company and its
// portal access into the copy at once (the sync would within an interval).
func Link(ctx context.Context, db Local, contact store.Contact, org store.Organization, o Override) error {
	return db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
		tz := o.TimeZone
		if tz == "" {
			tz = "America/New_York"
		}
		parent := org.ParentID
		if exists, err := m.Existing("organizations", []int64{deref(parent)}); err != nil {
			return err
		} else if parent != nil && !exists[*parent] {
			parent = nil // the sync links it when it copies the parent
		}
		if err := m.Organization(dataset.Organization{ID: org.ID, Name: org.Name, ParentID: parent, TimeZone: tz,
			NotifyResources: true}); err != nil {
			return err
		}
		if o.TimeZone != "" {
			if err := m.Exec(`UPDATE organizations SET time_zone = ? WHERE id = ?`, o.TimeZone, org.ID); err != nil {
				return err
			}
		}
		if err := m.Contact(dataset.Contact{ID: contact.ID, OrganizationID: org.ID, FirstName: contact.FirstName,
			LastName: contact.LastName, Email: contact.Email, Phone: contact.Phone, Active: contact.Active}); err != nil {
			return err
		}
		if err := m.Exec(`INSERT INTO autotask_user_overrides (contact_id, username, security_level, portal_enabled)
			VALUES (?, ?, ?, ?) ON CONFLICT (contact_id) DO UPDATE SET username = excluded.username,
			security_level = excluded.security_level, portal_enabled = excluded.portal_enabled`,
			o.ContactID, o.Username, o.SecurityLevel, o.Enabled); err != nil {
			return err
		}
		return m.Exec(`UPDATE contacts SET username = ?, security_level = ?, portal_enabled = ? WHERE id = ?`,
			o.Username, o.SecurityLevel, o.Enabled, o.ContactID)
	})
}
