package autotask

import (
	"cmp"
	"context"
	"slices"
	"strings"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// billToContracts returns the ids of the contracts billed to a company
// (cached: contracts change rarely, and every /me asks).
func (s *Store) billToContracts(ctx context.Context, orgID int64) ([]int64, error) {
	m, err := s.billTo.lookup(ctx, []int64{orgID}, func(ctx context.Context, ids []int64, put func(int64, []int64)) error {
		var contracts []int64
		err := query(ctx, s.c, "Contracts", []at.Filter{at.Eq("billToCompanyID", ids[0])}, []string{"id"}, 0,
			func(c atContract) error { contracts = append(contracts, c.ID); return nil })
		put(ids[0], contracts)
		return err
	})
	return m[orgID], err
}

// IsBillingOrganization reports whether some contract is billed to orgID.
func (s *Store) IsBillingOrganization(ctx context.Context, orgID int64) (bool, error) {
	c, err := s.billToContracts(ctx, orgID)
	return len(c) > 0, err
}

// billed is what the billing items on a billing organization's contracts
// say: the hours billed per project, the projects and the tasks billed.
type billed struct {
	contracts []int64
	hours     map[int64]api.Decimal
	projects  idSet
	tasks     map[int64]bool
}

// billedTo reads every billing item on orgID's contracts (projectID, taskID
// and quantity only): ceil(items/500) calls. Autotask cannot sum, so this is
// how end-client projects and their billed hours are found.
func (s *Store) billedTo(ctx context.Context, orgID int64) (billed, error) {
	b := billed{hours: map[int64]api.Decimal{}, tasks: map[int64]bool{}}
	var err error
	if b.contracts, err = s.billToContracts(ctx, orgID); err != nil || len(b.contracts) == 0 {
		return b, err
	}
	err = query(ctx, s.c, "BillingItems", []at.Filter{anyIn("contractID", b.contracts)},
		[]string{"id", "projectID", "taskID", "quantity"}, 0, func(i atBillingItem) error {
			if i.ProjectID != nil {
				b.hours[*i.ProjectID] += api.Decimal(i.Quantity)
				b.projects.add(i.ProjectID)
			}
			if i.TaskID != nil {
				b.tasks[*i.TaskID] = true
			}
			return nil
		})
	return b, err
}

// endClientFilters is "a client project of another organization whose
// contract, or one of whose billing items, is billed to orgID".
func (s *Store) endClientFilters(ctx context.Context, orgID int64, b billed) ([]at.Filter, error) {
	client, err := s.pickID(ctx, "Projects", "projectType", "client")
	if err != nil {
		return nil, err
	}
	via := anyIn("contractID", b.contracts)
	if len(b.projects.ids) > 0 {
		via = at.Or(via, anyIn("id", b.projects.ids))
	}
	return []at.Filter{via, at.Eq("projectType", client), at.NotEq("companyID", orgID)}, nil
}

// endClientSet are the end-client projects of a billing organization.
type endClientSet struct {
	projectIDs  []int64
	companies   idSet
	viaContract map[int64]bool // the project's own contract is billed to it
	billedTasks map[int64]bool
}

func (e endClientSet) filter() at.Filter { return anyIn("id", e.projectIDs) }

func (s *Store) endClient(ctx context.Context, orgID int64) (endClientSet, error) {
	e := endClientSet{viaContract: map[int64]bool{}}
	b, err := s.billedTo(ctx, orgID)
	if err != nil || len(b.contracts) == 0 {
		return e, err
	}
	e.billedTasks = b.tasks
	f, err := s.endClientFilters(ctx, orgID, b)
	if err != nil {
		return e, err
	}
	err = query(ctx, s.c, "Projects", f, []string{"id", "companyID", "contractID"}, 0, func(p atProject) error {
		e.projectIDs = append(e.projectIDs, p.ID)
		e.companies.add(&p.CompanyID)
		e.viaContract[p.ID] = p.ContractID != nil && slices.Contains(b.contracts, *p.ContractID)
		return nil
	})
	return e, err
}

// EndClients lists the companies owning end-client projects of billingOrgID.
func (s *Store) EndClients(ctx context.Context, billingOrgID int64) ([]api.EndClient, error) {
	e, err := s.endClient(ctx, billingOrgID)
	if err != nil {
		return nil, err
	}
	companies, err := s.companyMap(ctx)
	if err != nil {
		return nil, err
	}
	out := []api.EndClient{}
	for _, id := range e.companies.ids {
		out = append(out, api.EndClient{ID: id, Name: companies[id].CompanyName})
	}
	slices.SortFunc(out, func(a, b api.EndClient) int { return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// EndClientProjects streams end-client projects with the hours billed to
// the billing organization, ordered by id: ceil(items/500) calls for the
// billing items, then one query for the projects.
func (s *Store) EndClientProjects(ctx context.Context, q store.EndClientQuery, each func(api.EndClientProject) error) error {
	b, err := s.billedTo(ctx, q.BillingOrgID)
	if err != nil || len(b.contracts) == 0 {
		return err
	}
	f, err := s.endClientFilters(ctx, q.BillingOrgID, b)
	if err != nil {
		return err
	}
	if q.ClientID > 0 {
		f = append(f, at.Eq("companyID", q.ClientID))
	}
	if f, err = s.projectFilters(ctx, f, q.ID, q.Number, q.IncludeCompleted, q.Page); err != nil {
		return err
	}
	return s.streamProjects(ctx, f, q.Page.Limit, func(_ atProject, p api.Project) error {
		return each(api.EndClientProject{Project: p, BilledHours: b.hours[p.ID]})
	})
}
