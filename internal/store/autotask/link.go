package autotask

import (
	"context"
	"errors"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
)

// LinkTarget reads what `portald user link` copies of Autotask contact id
// into the local database: the contact (without login fields) and its
// company. A contact Autotask does not have is store.ErrNotFound.
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
	return contact, store.Organization{ID: co.ID, Name: co.CompanyName}, nil
}
