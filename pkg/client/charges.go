package client

import (
	"context"
	"iter"

	"github.com/portalctl/portalctl/pkg/api"
)

// Charges yields the billed items other than labour billed to the user's
// organization (the After of q does not apply).
func (c *Client) Charges(ctx context.Context, q BilledHoursQuery, limit int) iter.Seq2[api.Charge, error] {
	q.After = ""
	return all[api.Charge](ctx, c, "/v1/end-client/charges", q.values(), limit)
}
