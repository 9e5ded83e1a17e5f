package sqlstore

import (
	"context"
	"time"
)

// TakeEmailAllowance is a token bucket in one upsert (GCRA), atomic in both
// databases like CountLoginAttempt, so instances racing on one contact each
// get their own answer. tat is when the bucket is full again: an email is
// allowed when tat is at most (burst-1)×every ahead of now, and then moves
// tat every further (from now when it had passed). A refusal leaves tat
// alone and says so in refused, which the statement returns with tat. Times
// are Unix milliseconds, plain integers in both dialects.
func (s *Store) TakeEmailAllowance(ctx context.Context, contactID int64, now time.Time, every time.Duration, burst int) (time.Duration, error) {
	nowMs, everyMs := now.UnixMilli(), every.Milliseconds()
	limit := nowMs + int64(burst-1)*everyMs // the latest tat that still allows one more
	// A row whose tat has passed is a full bucket, the same as no row.
	if _, err := s.w.Exec(ctx, `DELETE FROM email_allowance WHERE tat <= ?`, nowMs); err != nil {
		return 0, err
	}
	var tat int64
	var refused int
	err := s.w.QueryRow(ctx, `INSERT INTO email_allowance (contact_id, tat, refused) VALUES (?, ?, 0)
		ON CONFLICT (contact_id) DO UPDATE SET
			refused = CASE WHEN email_allowance.tat <= ? THEN 0 ELSE 1 END,
			tat = CASE WHEN email_allowance.tat <= ? THEN ?
				WHEN email_allowance.tat <= ? THEN email_allowance.tat + ?
				ELSE email_allowance.tat END
		RETURNING tat, refused`, contactID, nowMs+everyMs, limit, nowMs, nowMs+everyMs, limit, everyMs).Scan(&tat, &refused)
	if err != nil || refused == 0 {
		return 0, err
	}
	return time.Duration(tat-limit) * time.Millisecond, nil
}
