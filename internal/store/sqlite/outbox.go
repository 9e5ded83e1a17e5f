package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// EnqueueEmail records an email in the outbox.
func (db *DB) EnqueueEmail(ctx context.Context, e store.Email) (store.Email, error) {
	to, err := json.Marshal(e.To)
	if err != nil {
		return e, err
	}
	if e.Status == "" {
		e.Status = store.EmailQueued
	}
	res, err := db.w.ExecContext(ctx, `INSERT INTO outbox (kind, recipients, reply_to, subject, body, status, attempts,
		last_error, next_attempt_at, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Kind, string(to), e.ReplyTo, e.Subject, e.Body, e.Status, e.Attempts, e.LastError,
		ts(e.NextAttemptAt), ts(e.CreatedAt), tsPtr(e.SentAt))
	if err != nil {
		return e, err
	}
	e.ID, err = res.LastInsertId()
	return e, err
}

const emailCols = `id, kind, recipients, reply_to, subject, body, status, attempts, last_error, next_attempt_at, created_at, sent_at`

func scanEmail(s interface{ Scan(...any) error }) (store.Email, error) {
	var e store.Email
	var to, next, created string
	var sent sql.NullString
	if err := s.Scan(&e.ID, &e.Kind, &to, &e.ReplyTo, &e.Subject, &e.Body, &e.Status, &e.Attempts, &e.LastError,
		&next, &created, &sent); err != nil {
		return e, notFound(err)
	}
	e.NextAttemptAt, e.CreatedAt, e.SentAt = parseTS(next), parseTS(created), nTime(sent)
	return e, json.Unmarshal([]byte(to), &e.To)
}

// DueEmails claims queued emails that are due: each is pushed one minute
// into the future inside the single write transaction, so a concurrent
// caller cannot claim it again before the first one reports back.
func (db *DB) DueEmails(ctx context.Context, now time.Time, limit int) ([]store.Email, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+emailCols+` FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?
		ORDER BY next_attempt_at, id LIMIT ?`, ts(now), limit)
	if err != nil {
		return nil, err
	}
	var out []store.Email
	for rows.Next() {
		e, err := scanEmail(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, e := range out {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id = ?`, ts(now.Add(time.Minute)), e.ID); err != nil {
			return nil, err
		}
	}
	return out, tx.Commit()
}

// UpdateEmail saves an email's delivery state.
func (db *DB) UpdateEmail(ctx context.Context, e store.Email) error {
	return db.execOne(ctx, `UPDATE outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, sent_at = ? WHERE id = ?`,
		e.Status, e.Attempts, e.LastError, ts(e.NextAttemptAt), tsPtr(e.SentAt), e.ID)
}

// Emails streams outbox rows with a status ("" for all), ordered by id.
func (db *DB) Emails(ctx context.Context, status string, each func(store.Email) error) error {
	rows, err := db.r.QueryContext(ctx, `SELECT `+emailCols+` FROM outbox WHERE ? = '' OR status = ? ORDER BY id`, status, status)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEmail(rows)
		if err != nil {
			return err
		}
		if err := each(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Email returns one outbox row.
func (db *DB) Email(ctx context.Context, id int64) (store.Email, error) {
	return scanEmail(db.r.QueryRowContext(ctx, `SELECT `+emailCols+` FROM outbox WHERE id = ?`, id))
}
