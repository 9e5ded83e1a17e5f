package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// EnqueueEmail records an email in the outbox, with one queued delivery
// per recipient unless e carries its deliveries.
func (s *Store) EnqueueEmail(ctx context.Context, e store.Email) (store.Email, error) {
	to, err := json.Marshal(e.To)
	if err != nil {
		return e, err
	}
	if e.Status == "" {
		e.Status = store.EmailQueued
	}
	if len(e.Deliveries) == 0 {
		e.Deliveries = make([]store.Delivery, len(e.To))
		for i, addr := range e.To {
			e.Deliveries[i] = store.Delivery{Address: addr, Status: store.EmailQueued}
		}
	}
	deliveries, err := json.Marshal(e.Deliveries)
	if err != nil {
		return e, err
	}
	e.ID, err = insertID(ctx, s.w, `INSERT INTO outbox (kind, sender_contact_id, recipients, deliveries, reply_to, subject, body, status, attempts,
		last_error, next_attempt_at, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Kind, senderID(e.SenderID), string(to), string(deliveries), e.ReplyTo, e.Subject, e.Body, e.Status, e.Attempts, e.LastError,
		ts(e.NextAttemptAt), ts(e.CreatedAt), tsPtr(e.SentAt))
	return e, err
}

// senderID stores "not recorded" as NULL.
func senderID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const emailCols = `id, kind, sender_contact_id, recipients, deliveries, reply_to, subject, body, status, attempts, last_error, next_attempt_at, created_at, sent_at`

func scanEmail(r Row) (store.Email, error) {
	var e store.Email
	var to, deliveries string
	var sender *int64
	var next, created, sent nullTime
	if err := r.Scan(&e.ID, &e.Kind, &sender, &to, &deliveries, &e.ReplyTo, &e.Subject, &e.Body, &e.Status, &e.Attempts, &e.LastError,
		&next, &created, &sent); err != nil {
		return e, err
	}
	if sender != nil {
		e.SenderID = *sender
	}
	e.NextAttemptAt, e.CreatedAt, e.SentAt = next.value(), created.value(), sent.t
	if err := json.Unmarshal([]byte(to), &e.To); err != nil {
		return e, err
	}
	if deliveries == "" {
		e.Deliveries = rowDeliveries(e)
		return e, nil
	}
	return e, json.Unmarshal([]byte(deliveries), &e.Deliveries)
}

// rowDeliveries reads a row written before per-recipient deliveries: every
// recipient shares the row's state (it was sent to all of them at once).
func rowDeliveries(e store.Email) []store.Delivery {
	out := make([]store.Delivery, len(e.To))
	for i, addr := range e.To {
		out[i] = store.Delivery{Address: addr, Status: e.Status, Attempts: e.Attempts, Reply: e.LastError, SentAt: e.SentAt}
	}
	return out
}

// DueEmails claims queued emails that are due: each is pushed one minute
// into the future in the claiming transaction, so no other caller claims it
// again before the first one reports back. Concurrent claimers are kept apart
// by SQLite's single writer, or by PostgreSQL's row locks (SKIP LOCKED: a
// claimer passes over rows another one holds). The emails returned carry
// the claim as their NextAttemptAt, so saving one mid-delivery keeps it.
func (s *Store) DueEmails(ctx context.Context, now time.Time, limit int) ([]store.Email, error) {
	var out []store.Email
	claim := now.Add(time.Minute)
	err := s.inTx(ctx, func(tx Tx) error {
		var err error
		out, err = list(ctx, tx, `SELECT `+emailCols+` FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?`+s.d.ClaimLock, []any{ts(now), limit}, scanEmail)
		if err != nil || len(out) == 0 {
			return err
		}
		args := []any{ts(claim)}
		for i := range out {
			out[i].NextAttemptAt = claim.UTC()
			args = append(args, out[i].ID)
		}
		_, err = tx.Exec(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id IN (`+
			strings.TrimSuffix(strings.Repeat("?,", len(out)), ",")+`)`, args...)
		return err
	})
	if len(out) == 0 || err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateEmail saves an email's delivery state, its recipients' included.
func (s *Store) UpdateEmail(ctx context.Context, e store.Email) error {
	deliveries, err := json.Marshal(e.Deliveries)
	if err != nil {
		return err
	}
	return s.execOne(ctx, `UPDATE outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, sent_at = ?, deliveries = ? WHERE id = ?`,
		e.Status, e.Attempts, e.LastError, ts(e.NextAttemptAt), tsPtr(e.SentAt), string(deliveries), e.ID)
}

// Emails streams outbox rows with a status ("" for all), ordered by id.
func (s *Store) Emails(ctx context.Context, status string, each func(store.Email) error) error {
	return stream(ctx, s.r, `SELECT `+emailCols+` FROM outbox WHERE ? = '' OR status = ? ORDER BY id`,
		[]any{status, status}, scanEmail, each)
}

// Email returns one outbox row.
func (s *Store) Email(ctx context.Context, id int64) (store.Email, error) {
	return scanEmail(s.r.QueryRow(ctx, `SELECT `+emailCols+` FROM outbox WHERE id = ?`, id))
}
