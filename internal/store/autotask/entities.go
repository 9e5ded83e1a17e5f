package autotask

import (
	"context"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// One pull per entity, in the order parents come before their children.
// Each maps Autotask's record onto the portal's and writes a batch in one
// transaction; a record whose parent the copy does not hold yet waits for
// a later pass (later), an optional reference to nothing is left out.

func (p *pass) companies(ctx context.Context) error {
	return pull(ctx, p, pullSpec[atCompany]{entity: "Companies", fields: companyFields, changed: "lastTrackedModifiedDateTime",
		stamp: func(c atCompany) at.Time { return c.Changed }, id: func(c atCompany) int64 { return c.ID },
		write: func(ctx context.Context, batch []atCompany) ([]int64, error) {
			return nil, p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				for _, c := range batch {
					if c.ParentCompanyID != nil && *c.ParentCompanyID == c.ID {
						c.ParentCompanyID = nil
					}
					if err := m.Organization(dataset.Organization{ID: c.ID, Name: c.CompanyName, ParentID: c.ParentCompanyID,
						TimeZone: p.y.s.opt.DefaultTimeZone, NotifyResources: true}); err != nil {
						return err
					}
				}
				return nil
			})
		}})
}

func (p *pass) contacts(ctx context.Context) error {
	return pull(ctx, p, pullSpec[atContact]{entity: "Contacts", fields: contactFields, changed: "lastModifiedDate",
		stamp: func(c atContact) at.Time { return c.Changed }, id: func(c atContact) int64 { return c.ID },
		write: func(ctx context.Context, batch []atContact) ([]int64, error) {
			var later []int64
			err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				r := newRefs(m)
				for _, c := range batch {
					r.need("organizations", c.CompanyID)
				}
				if err := r.load(); err != nil {
					return err
				}
				for _, c := range batch {
					if !r.has("organizations", c.CompanyID) {
						later = append(later, c.ID)
						continue
					}
					if err := m.Contact(dataset.Contact{ID: c.ID, OrganizationID: c.CompanyID, FirstName: c.FirstName,
						LastName: c.LastName, Email: c.EmailAddress, Phone: c.Phone, Active: bool(c.IsActive)}); err != nil {
						return err
					}
				}
				return nil
			})
			return later, err
		}})
}

// resources and contracts have no last-change field: they are read whole
// every RefreshEvery.
func (p *pass) resources(ctx context.Context) error {
	if !p.refresh {
		return nil
	}
	return pull(ctx, p, pullSpec[atResource]{entity: "Resources", fields: resourceFields, id: func(r atResource) int64 { return r.ID },
		write: func(ctx context.Context, batch []atResource) ([]int64, error) {
			return nil, p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				for _, r := range batch {
					if err := m.Write(&dataset.Resource{ID: r.ID, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
						Phone: r.OfficePhone, Title: r.Title, Active: bool(r.IsActive)}); err != nil {
						return err
					}
				}
				return nil
			})
		}})
}

func (p *pass) contracts(ctx context.Context) error {
	if !p.refresh {
		return nil
	}
	return pull(ctx, p, pullSpec[atContract]{entity: "Contracts", fields: contractFields, id: func(c atContract) int64 { return c.ID },
		write: func(ctx context.Context, batch []atContract) ([]int64, error) {
			var later []int64
			err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				r := newRefs(m)
				for _, c := range batch {
					r.need("organizations", c.CompanyID)
					r.needOpt("organizations", c.BillToCompanyID)
				}
				if err := r.load(); err != nil {
					return err
				}
				for _, c := range batch {
					if !r.has("organizations", c.CompanyID) {
						later = append(later, c.ID)
						continue
					}
					if err := m.Write(&dataset.Contract{ID: c.ID, OrganizationID: c.CompanyID, Name: c.ContractName,
						BillingOrganizationID: r.opt("organizations", c.BillToCompanyID)}); err != nil {
						return err
					}
				}
				return nil
			})
			return later, err
		}})
}

// refs checks, inside a write, which referenced records the copy holds.
type refs struct {
	m     *sqlstore.MirrorTx
	want  map[string][]int64
	found map[string]map[int64]bool
	// batch ids count as present: a record may refer to one written
	// earlier in the same transaction.
	own map[string]map[int64]bool
}

func newRefs(m *sqlstore.MirrorTx) *refs {
	return &refs{m: m, want: map[string][]int64{}, found: map[string]map[int64]bool{}, own: map[string]map[int64]bool{}}
}

func (r *refs) need(table string, id int64) { r.want[table] = append(r.want[table], id) }

func (r *refs) needOpt(table string, id *int64) {
	if id != nil {
		r.need(table, *id)
	}
}

// mine marks an id of the batch being written.
func (r *refs) mine(table string, id int64) {
	if r.own[table] == nil {
		r.own[table] = map[int64]bool{}
	}
	r.own[table][id] = true
}

func (r *refs) load() error {
	for table, ids := range r.want {
		found, err := r.m.Existing(table, ids)
		if err != nil {
			return err
		}
		r.found[table] = found
	}
	return nil
}

func (r *refs) has(table string, id int64) bool { return r.found[table][id] || r.own[table][id] }

// opt is an optional reference, left out when the copy lacks its target.
func (r *refs) opt(table string, id *int64) *int64 {
	if id == nil || !r.has(table, *id) {
		return nil
	}
	return id
}
