package autotask

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// BilledHoursSummary totals the export's own rows (BilledHours): Autotask's
// REST API has no aggregate query. Once the Autotask data is a synced copy
// in SQL, the copy's aggregate query does it instead.
func (s *Store) BilledHoursSummary(ctx context.Context, q store.BilledHoursQuery, by []string, each func(api.BilledHoursTotal) error) error {
	q.Page, q.AfterID = store.Page{}, 0
	sum := store.NewBilledSummer(by)
	if err := s.BilledHours(ctx, q, sum.Add); err != nil {
		return err
	}
	return sum.Groups(each)
}
