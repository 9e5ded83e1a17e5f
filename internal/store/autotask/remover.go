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

// remover is the database's removal of billing items when it has one
// (the billing feed's, which records a reversal for an exported item),
// else a plain delete.
func remover(db Local) BillingRemover {
	if r, ok := db.(BillingRemover); ok {
		return r
	}
	return deleteRemover{db}
}

// deleteRemover deletes the rows.
type deleteRemover struct{ db Local }

func (d deleteRemover) RemoveBillingItems(ctx context.Context, ids []int64) error {
	return d.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error { return m.DeleteBillingItems(ids) })
}
