package store

import (
	"cmp"
	"slices"

	"github.com/portalctl/portalctl/pkg/api"
)

// BilledSummer totals export rows in Go, for a store that cannot ask its
// data source for the sums (the Autotask bridge): Add every row
// BilledHours gives, then Groups. SQL stores total in the database.
type BilledSummer struct {
	by     []string
	groups map[summaryGroupKey]*api.BilledHoursTotal
}

type summaryGroupKey struct {
	client, project  int64
	month, resource  string
	hasResource, any bool
}

// NewBilledSummer totals by the keys of by (api.SummaryKeys).
func NewBilledSummer(by []string) *BilledSummer {
	return &BilledSummer{by: by, groups: map[summaryGroupKey]*api.BilledHoursTotal{}}
}

// Add adds one export row to its group.
func (s *BilledSummer) Add(r api.BilledHoursRow) error {
	k := summaryGroupKey{any: true}
	g := api.BilledHoursTotal{}
	for _, key := range s.by {
		switch key {
		case "client":
			k.client, g.ClientID, g.ClientName = r.ClientID, &r.ClientID, &r.ClientName
		case "project":
			k.project, g.ProjectID, g.ProjectNumber, g.ProjectName = r.ProjectID, &r.ProjectID, &r.ProjectNumber, &r.ProjectName
		case "month":
			m := string(r.WorkedDate)[:7]
			k.month, g.Month = m, &m
		case "resource":
			if r.Resource != nil {
				k.resource, k.hasResource, g.Resource = *r.Resource, true, r.Resource
			}
		}
	}
	t, ok := s.groups[k]
	if !ok {
		t = &g
		s.groups[k] = t
	}
	t.Add(api.BilledHoursTotal{Items: 1, HoursWorked: r.HoursWorked, HoursBilled: r.HoursBilled, Amount: r.Amount})
	return nil
}

// Groups calls each with the groups, sorted as SortBilledTotals does.
func (s *BilledSummer) Groups(each func(api.BilledHoursTotal) error) error {
	groups := make([]api.BilledHoursTotal, 0, len(s.groups))
	for _, g := range s.groups {
		groups = append(groups, *g)
	}
	SortBilledTotals(s.by, groups)
	for _, g := range groups {
		if err := each(g); err != nil {
			return err
		}
	}
	return nil
}

// SortBilledTotals orders summary groups by their keys in by's order:
// client id, project id, month, resource name (bytewise, items without a
// resource first). Every store sorts the same way, whatever its collation.
func SortBilledTotals(by []string, groups []api.BilledHoursTotal) {
	slices.SortFunc(groups, func(a, b api.BilledHoursTotal) int {
		for _, key := range by {
			var c int
			switch key {
			case "client":
				c = cmp.Compare(deref(a.ClientID), deref(b.ClientID))
			case "project":
				c = cmp.Compare(deref(a.ProjectID), deref(b.ProjectID))
			case "month":
				c = cmp.Compare(deref(a.Month), deref(b.Month))
			case "resource":
				c = cmp.Or(cmp.Compare(present(a.Resource), present(b.Resource)), cmp.Compare(deref(a.Resource), deref(b.Resource)))
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func present[T any](p *T) int {
	if p == nil {
		return 0
	}
	return 1
}
