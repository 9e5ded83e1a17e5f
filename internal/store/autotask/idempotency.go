package autotask

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
)

// issueSettleTime bounds how long a create call can still be in flight: the
// client gives up on a call after 30 s and never retries a create that may
// have reached Autotask. A reservation older than this whose task Autotask
// does not have was never filed.
const issueSettleTime = time.Minute

// issueMarker is written into the externalID of an issue filed with an
// Idempotency-Key, so that the task of a create whose answer was lost can
// be found again. The key itself is hashed: it is the caller's text.
func issueMarker(contactID int64, key string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s", contactID, key))
	return "portald:" + hex.EncodeToString(sum[:16])
}

// IdempotencyKey returns a stored key. A reservation (TaskID 0) is settled
// against Autotask: if the issue was filed (the answer was lost), the key
// now points at it; if not and the create can no longer be in flight, the
// reservation is dropped so that a retry files the issue once; otherwise the
// client is asked to retry shortly.
func (s *Store) IdempotencyKey(ctx context.Context, contactID int64, key string, notBefore time.Time) (store.Idempotency, error) {
	k, err := s.Local.IdempotencyKey(ctx, contactID, key, notBefore)
	if err != nil || k.TaskID != 0 {
		return k, err
	}
	var found atTask
	q := at.Query{Filter: []at.Filter{at.Eq("externalID", issueMarker(contactID, key))}, IncludeFields: []string{"id", "projectID"},
		MaxRecords: 1}
	err = s.c.Query(ctx, "Tasks", q, func(item at.Item) error {
		found, err = decode[atTask]("Tasks", item)
		return err
	})
	switch {
	case err != nil:
		return k, upstream(err)
	case found.ID > 0:
		// The task was filed but its answer was lost: it is copied now,
		// so that the replayed answer can read it.
		if _, err := s.readTask(ctx, found.ProjectID, found.ID); err != nil {
			return k, err
		}
		if err := s.Local.SetIdempotencyTask(ctx, contactID, key, found.ID); err != nil {
			return k, err
		}
		k.TaskID = found.ID
		return k, nil
	case s.opt.Now().Sub(k.CreatedAt) > issueSettleTime:
		if err := s.Local.DeleteIdempotencyKey(ctx, contactID, key); err != nil {
			return k, err
		}
		return store.Idempotency{}, store.ErrNotFound
	}
	return k, &store.UnavailableError{Reason: "an issue with this Idempotency-Key is still being filed; retry shortly",
		RetryAfter: retryIssueAfter}
}
