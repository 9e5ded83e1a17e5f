package autotask

import (
	"context"

	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// BillingRemover removes from the copy billing items Autotask no longer
// has (unposted). A store that keeps a change feed of billing items
// records each removal in it, so that an exported item is reversed.
type BillingRemover interface {
	RemoveBillingItems(ctx context.Context, ids []int64) error
}

// deleteRemover deletes the rows.
type deleteRemover struct{ db Local }

func (d deleteRemover) RemoveBillingItems(ctx context.Context, ids []int64) error {
	return d.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error { return m.DeleteBillingItems(ids) })
}
