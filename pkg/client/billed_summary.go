package client

import (
	"context"
	"net/url"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
)

// BilledHoursSummary totals the billed hours q's export would give
// (its dates and client) by the keys of by (api.SummaryKeys).
func (c *Client) BilledHoursSummary(ctx context.Context, q BilledHoursQuery, by []string) (api.BilledHoursSummary, error) {
	v := url.Values{}
	setIf(v, "from", string(q.From))
	setIf(v, "to", string(q.To))
	setIf(v, "client", q.Client)
	setIf(v, "kind", q.Kind)
	setIf(v, "by", strings.Join(by, ","))
	var out api.BilledHoursSummary
	return out, c.call(ctx, request{method: "GET", path: "/v1/end-client/billed-hours/summary", query: v}, &out)
}
