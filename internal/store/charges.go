package store

import (
	"context"

	"github.com/portalctl/portalctl/pkg/api"
)

// Charges is implemented by stores that keep billed items other than
// labour (the Autotask copy fills them; an import has none).
type Charges interface {
	// Charges streams the charges billed to q.BillingOrgID on end-client
	// projects, ordered by (date, id), with q's client, project, date and
	// page bounds (Page.After.Value is a date).
	Charges(ctx context.Context, q BilledHoursQuery, each func(api.Charge) error) error
}
