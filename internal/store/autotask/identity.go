package autotask

import (
	"cmp"
	"context"
	"slices"

	"github.com/portalctl/portalctl/internal/store"
)

var (
	companyFields  = []string{"id", "companyName", "parentCompanyID"}
	contactFields  = []string{"id", "companyID", "firstName", "lastName", "emailAddress", "phone", "isActive"}
	resourceFields = []string{"id", "firstName", "lastName", "email", "officePhone", "title", "isActive"}
)

// companyMap returns every company (cached: they change rarely, and every
// request needs the organization tree to scope its user).
func (s *Store) companyMap(ctx context.Context) (map[int64]atCompany, error) {
	return s.companies.get(ctx, func(ctx context.Context) (map[int64]atCompany, error) {
		m := map[int64]atCompany{}
		err := query(ctx, s.c, "Companies", nil, companyFields, 0, func(c atCompany) error { m[c.ID] = c; return nil })
		return m, err
	})
}

// resourceMap returns the resources of ids (cached).
func (s *Store) resourceMap(ctx context.Context, ids []int64) (map[int64]atResource, error) {
	return s.resources.lookup(ctx, ids, func(ctx context.Context, ids []int64, put func(int64, atResource)) error {
		return byIDs(ctx, s.c, "Resources", ids, resourceFields, func(r atResource) error { put(r.ID, r); return nil })
	})
}

// contactMap returns the contacts of ids (cached for ContactTTL).
func (s *Store) contactMap(ctx context.Context, ids []int64) (map[int64]atContact, error) {
	return s.contacts.lookup(ctx, ids, func(ctx context.Context, ids []int64, put func(int64, atContact)) error {
		return byIDs(ctx, s.c, "Contacts", ids, contactFields, func(c atContact) error { put(c.ID, c); return nil })
	})
}

// Organizations returns every Autotask company, ordered by id, with the
// time zone and notification setting of its local row (portald's
// defaults when it has none: Autotask companies carry neither).
func (s *Store) Organizations(ctx context.Context) ([]store.Organization, error) {
	companies, err := s.companyMap(ctx)
	if err != nil {
		return nil, err
	}
	locals, err := s.local.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	local := map[int64]store.Organization{}
	for _, o := range locals {
		local[o.ID] = o
	}
	out := make([]store.Organization, 0, len(companies))
	for _, c := range companies {
		o := store.Organization{ID: c.ID, Name: c.CompanyName, ParentID: c.ParentCompanyID,
			TimeZone: s.opt.DefaultTimeZone, NotifyResources: s.opt.NotifyResources}
		if l, ok := local[c.ID]; ok {
			o.TimeZone, o.NotifyResources = l.TimeZone, l.NotifyResources
		}
		if o.ParentID != nil && *o.ParentID <= 0 {
			o.ParentID = nil
		}
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b store.Organization) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// ContactByID joins the local login row with the Autotask contact.
func (s *Store) ContactByID(ctx context.Context, id int64) (store.Contact, error) {
	c, err := s.local.ContactByID(ctx, id)
	if err != nil {
		return c, err
	}
	return s.withAutotask(ctx, c)
}

// ContactByUsername finds the login locally, then joins the Autotask contact.
func (s *Store) ContactByUsername(ctx context.Context, username string) (store.Contact, error) {
	c, err := s.local.ContactByUsername(ctx, username)
	if err != nil {
		return c, err
	}
	return s.withAutotask(ctx, c)
}

// withAutotask takes name, company, email, phone and active from Autotask,
// keeping the login fields of the local row. A contact deleted in Autotask
// has no login any more.
func (s *Store) withAutotask(ctx context.Context, c store.Contact) (store.Contact, error) {
	m, err := s.contactMap(ctx, []int64{c.ID})
	if err != nil {
		return store.Contact{}, err
	}
	a, ok := m[c.ID]
	if !ok {
		return store.Contact{}, store.ErrNotFound
	}
	c.OrganizationID, c.FirstName, c.LastName = a.CompanyID, a.FirstName, a.LastName
	c.Email, c.Phone, c.Active = a.EmailAddress, a.Phone, bool(a.IsActive)
	return c, nil
}

// Resource returns an Autotask resource.
func (s *Store) Resource(ctx context.Context, id int64) (store.Resource, error) {
	m, err := s.resourceMap(ctx, []int64{id})
	if err != nil {
		return store.Resource{}, err
	}
	r, ok := m[id]
	if !ok {
		return store.Resource{}, store.ErrNotFound
	}
	return store.Resource{ID: r.ID, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
		Phone: r.OfficePhone, Title: r.Title, Active: bool(r.IsActive)}, nil
}

// names maps ids to "First Last" for the resources and contacts of a batch
// of records, with one call for each kind at most.
type names struct{ resources, contacts map[int64]string }

func (s *Store) names(ctx context.Context, resources, contacts idSet) (names, error) {
	n := names{resources: map[int64]string{}, contacts: map[int64]string{}}
	rs, err := s.resourceMap(ctx, resources.ids)
	if err != nil {
		return n, err
	}
	for id, r := range rs {
		n.resources[id] = r.name()
	}
	cs, err := s.contactMap(ctx, contacts.ids)
	for id, c := range cs {
		n.contacts[id] = c.name()
	}
	return n, err
}

// of returns the name of id in m, or nil.
func of(m map[int64]string, id *int64) *string {
	if id == nil {
		return nil
	}
	if v, ok := m[*id]; ok {
		return &v
	}
	return nil
}
