package sqlstore

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
)

// The Autotask bridge files an issue in Autotask and keeps its
// Idempotency-Key here: two systems, so no single transaction. It reserves
// the key first (task id 0), creates the task, then records the task id,
// and drops the reservation only when Autotask certainly created nothing.

// ReserveIdempotencyKey stores k with task id 0, replacing an expired key
// (older than store.IdempotencyTTL before k.CreatedAt); a live key is
// store.ErrConflict.
func (s *Store) ReserveIdempotencyKey(ctx context.Context, k store.Idempotency) error {
	return s.inTx(ctx, func(tx Tx) error { return s.storeKey(ctx, tx, &k, 0) })
}

// SetIdempotencyTask points a reserved key at the task it created.
func (s *Store) SetIdempotencyTask(ctx context.Context, contactID int64, key string, taskID int64) error {
	return s.execOne(ctx, `UPDATE idempotency_keys SET task_id = ? WHERE contact_id = ? AND key = ?`, taskID, contactID, key)
}

// DeleteIdempotencyKey drops a reservation whose issue was not created. A
// key that already points at a task is kept: deleting it would let a retry
// file the issue twice.
func (s *Store) DeleteIdempotencyKey(ctx context.Context, contactID int64, key string) error {
	_, err := s.w.Exec(ctx, `DELETE FROM idempotency_keys WHERE contact_id = ? AND key = ? AND task_id = 0`, contactID, key)
	return err
}
