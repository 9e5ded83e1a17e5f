package store

import (
	"cmp"
	"slices"

	"github.com/portalctl/portalctl/pkg/api"
)

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
