package portal

import (
	"context"
	"slices"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// BilledHoursSummary totals the billed-hours export of u with f (the same
// scope and filters, billedQuery) by the keys of by: any of
// api.SummaryKeys, each once, in the order the groups are sorted.
func (s *Service) BilledHoursSummary(ctx context.Context, u *User, f BilledHoursFilter, by []string) (api.BilledHoursSummary, error) {
	for i, k := range by {
		if !slices.Contains(api.SummaryKeys, k) {
			return api.BilledHoursSummary{}, api.Invalid("by", "cannot total by %q: choose from %s", k, strings.Join(api.SummaryKeys, ", ")).
				With("choices", api.SummaryKeys)
		}
		if slices.Contains(by[:i], k) {
			return api.BilledHoursSummary{}, api.Invalid("by", "%s is named twice in by", k)
		}
	}
	q, err := s.billedQuery(ctx, u, BilledHoursFilter{Client: f.Client, Kind: f.Kind, From: f.From, To: f.To}, store.Page{})
	if err != nil {
		return api.BilledHoursSummary{}, err
	}
	out := api.BilledHoursSummary{By: slices.Clip(append([]string{}, by...)), Items: []api.BilledHoursTotal{}}
	err = s.data.BilledHoursSummary(ctx, q, by, func(t api.BilledHoursTotal) error {
		out.Items = append(out.Items, t)
		out.Total.Add(t)
		return nil
	})
	return out, err
}
