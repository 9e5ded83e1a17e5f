package portal

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// Charges lists the billed items other than labour (expenses, milestones,
// charges, services) billed to u's organization on its end clients'
// projects: who may read them and which are read are the billed hours'
// rules. A store without charges (an import) has none.
func (s *Service) Charges(ctx context.Context, u *User, f BilledHoursFilter, page store.Page, each func(api.Charge) error) error {
	q, err := s.billedQuery(ctx, u, f, page)
	if err != nil {
		return err
	}
	c, ok := s.st.(store.Charges)
	if !ok {
		return nil
	}
	return c.Charges(ctx, q, each)
}
