package shared

import (
	"context"

	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

// Schedule prints a schedule (projects schedule, endclient view
// --schedule): the tree as JSON (or through --jq), flattened rows with
// outline numbers in every other format.
func Schedule(ctx context.Context, r *Renderer, s api.Schedule) error {
	if r.Flags.Format == "json" || r.Flags.JQ != "" {
		return Document(ctx, r, s)
	}
	return List(ctx, r, output.ScheduleItems, output.FlattenSchedule(s.Items))
}
