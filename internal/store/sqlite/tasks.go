package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

const taskSelect = `SELECT t.id, t.number, t.title, t.description, t.status, t.priority, t.is_issue, t.project_id,
	p.number, p.name, t.phase_id, t.contact_id, c.first_name || ' ' || c.last_name,
	r.first_name || ' ' || r.last_name, t.client_completable, t.start_date, t.due_date, t.completed_at,
	cb.first_name || ' ' || cb.last_name, t.created_at, t.position
	FROM tasks t JOIN projects p ON p.id = t.project_id
	LEFT JOIN contacts c ON c.id = t.contact_id
	LEFT JOIN resources r ON r.id = t.assigned_resource_id
	LEFT JOIN contacts cb ON cb.id = t.completed_by_contact_id`

func scanTask(s interface{ Scan(...any) error }) (store.ScheduleTask, error) {
	var t store.ScheduleTask
	var prio, contactName, assignee, start, due, completed, completedBy, created sql.NullString
	var phase, contact sql.NullInt64
	err := s.Scan(&t.ID, &t.Number, &t.Title, &t.Description, &t.Status, &prio, &t.IsIssue, &t.ProjectID,
		&t.ProjectNumber, &t.ProjectName, &phase, &contact, &contactName, &assignee, &t.ClientCompletable,
		&start, &due, &completed, &completedBy, &created, &t.Position)
	t.Priority, t.PhaseID, t.ContactID, t.ContactName = nStr(prio), nInt(phase), nInt(contact), nStr(contactName)
	t.AssignedResource, t.StartDate, t.DueDate, t.CompletedAt = nStr(assignee), nDate(start), nDate(due), nTime(completed)
	t.CompletedBy, t.CreatedAt = nStr(completedBy), nTime(created)
	return t, notFound(err)
}

// taskWhere builds the conditions of a TaskQuery.
func taskWhere(q store.TaskQuery) where {
	var w where
	w.add("t.visible_in_portal = 1")
	if q.BilledToOrgID > 0 {
		o := q.BilledToOrgID
		w.add(`p.type = 'client' AND p.organization_id <> ?`, o)
		w.add(`(EXISTS (SELECT 1 FROM contracts k WHERE k.id = COALESCE(t.contract_id, p.contract_id) AND k.billing_organization_id = ?)
			OR EXISTS (SELECT 1 FROM billing_items b JOIN contracts k ON k.id = b.contract_id
				WHERE b.task_id = t.id AND k.billing_organization_id = ?))`, o, o)
	} else {
		scopeProjects(&w, q.Projects)
	}
	if q.ID > 0 {
		w.add("t.id = ?", q.ID)
	}
	if q.Number != "" {
		w.add("t.number = ?", q.Number)
	}
	if q.ProjectID > 0 {
		w.add("t.project_id = ?", q.ProjectID)
	}
	if q.OpenForContactID > 0 {
		w.add(`p.status <> 'complete' AND t.status <> 'complete'
			AND ((t.contact_id = ? AND t.client_completable = 1) OR t.status = 'waiting_customer')`, q.OpenForContactID)
	}
	if q.IssuesOnly {
		w.add("t.is_issue = 1")
	}
	return w
}

// Tasks streams the tasks matching q, ordered by id.
func (db *DB) Tasks(ctx context.Context, q store.TaskQuery, each func(api.Task) error) error {
	w := taskWhere(q)
	w.after(q.Page, "", "t.id")
	rows, err := db.r.QueryContext(ctx, taskSelect+w.sql()+" ORDER BY t.id"+limit(q.Page), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return err
		}
		if err := each(t.Task); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScheduleTasks returns the tasks matching q ordered by position, id.
func (db *DB) ScheduleTasks(ctx context.Context, q store.TaskQuery) ([]store.ScheduleTask, error) {
	w := taskWhere(q)
	rows, err := db.r.QueryContext(ctx, taskSelect+w.sql()+" ORDER BY t.position, t.id", w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ScheduleTask
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TaskNotes streams a task's published notes, ordered by id.
func (db *DB) TaskNotes(ctx context.Context, taskID int64, page store.Page, each func(api.TaskNote) error) error {
	w := where{}
	w.add("n.task_id = ?", taskID)
	w.add("n.published = 1")
	w.after(page, "", "n.id")
	rows, err := db.r.QueryContext(ctx, `SELECT n.id, n.task_id, n.subject, n.body, `+authorName+`, n.created_at
		FROM task_notes n LEFT JOIN resources ar ON ar.id = n.author_resource_id
		LEFT JOIN contacts ac ON ac.id = n.author_contact_id`+w.sql()+` ORDER BY n.id`+limit(page), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n api.TaskNote
		var created string
		if err := rows.Scan(&n.ID, &n.TaskID, &n.Subject, &n.Body, &n.Author, &created); err != nil {
			return err
		}
		n.CreatedAt = parseTS(created)
		if err := each(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AddTaskNote stores a published task note written by a contact.
func (db *DB) AddTaskNote(ctx context.Context, n api.TaskNote, authorContactID int64) (api.TaskNote, error) {
	res, err := db.w.ExecContext(ctx, `INSERT INTO task_notes (task_id, subject, body, author_contact_id, created_at, published)
		VALUES (?, ?, ?, ?, ?, 1)`, n.TaskID, n.Subject, n.Body, authorContactID, ts(n.CreatedAt))
	if err != nil {
		return n, err
	}
	if n.ID, err = res.LastInsertId(); err != nil {
		return n, err
	}
	c, err := db.ContactByID(ctx, authorContactID)
	n.Author, n.CreatedAt = c.Name(), n.CreatedAt.UTC().Truncate(time.Second)
	return n, err
}

// CompleteTask marks a task complete unless it already is.
func (db *DB) CompleteTask(ctx context.Context, taskID, contactID int64, at time.Time) (bool, error) {
	res, err := db.w.ExecContext(ctx, `UPDATE tasks SET status = 'complete', completed_at = ?, completed_by_contact_id = ?
		WHERE id = ? AND status <> 'complete'`, ts(at), contactID, taskID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// TaskAssignee returns the resource a task is assigned to.
func (db *DB) TaskAssignee(ctx context.Context, taskID int64) (store.Resource, error) {
	var id sql.NullInt64
	if err := db.r.QueryRowContext(ctx, `SELECT assigned_resource_id FROM tasks WHERE id = ?`, taskID).Scan(&id); err != nil {
		return store.Resource{}, notFound(err)
	}
	if !id.Valid {
		return store.Resource{}, store.ErrNotFound
	}
	return db.Resource(ctx, id.Int64)
}

// CreateIssue stores a new issue and, atomically, its idempotency key.
func (db *DB) CreateIssue(ctx context.Context, in store.NewIssue, key *store.Idempotency) (api.Task, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return api.Task{}, err
	}
	defer tx.Rollback()
	var pos int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM tasks WHERE project_id = ? AND phase_id IS NULL`,
		in.ProjectID).Scan(&pos); err != nil {
		return api.Task{}, err
	}
	// The number needs the id, so insert with a placeholder unique number first.
	res, err := tx.ExecContext(ctx, `INSERT INTO tasks (project_id, number, title, description, status, is_issue, visible_in_portal,
		contact_id, priority, position, created_at) VALUES (?, 'pending-' || hex(randomblob(8)), ?, ?, 'new', 1, 1, ?, ?, ?, ?)`,
		in.ProjectID, in.Title, in.Description, in.ContactID, in.Priority, pos, ts(in.CreatedAt))
	if err != nil {
		return api.Task{}, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return api.Task{}, err
	}
	number := fmt.Sprintf("T%s.%04d", in.CreatedAt.UTC().Format("20060102"), id)
	if _, err := tx.ExecContext(ctx, `UPDATE tasks SET number = ? WHERE id = ?`, number, id); err != nil {
		return api.Task{}, err
	}
	if key != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE contact_id = ? AND key = ? AND created_at < ?`,
			key.ContactID, key.Key, ts(key.CreatedAt.Add(-store.IdempotencyTTL))); err != nil {
			return api.Task{}, err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (contact_id, key, request_hash, task_id, created_at)
			VALUES (?, ?, ?, ?, ?)`, key.ContactID, key.Key, key.RequestHash, id, ts(key.CreatedAt))
		if isUnique(err) {
			return api.Task{}, store.ErrConflict
		}
		if err != nil {
			return api.Task{}, err
		}
	}
	t, err := scanTask(tx.QueryRowContext(ctx, taskSelect+` WHERE t.id = ?`, id))
	if err != nil {
		return api.Task{}, err
	}
	return t.Task, tx.Commit()
}

// IdempotencyKey returns a key stored at or after notBefore.
func (db *DB) IdempotencyKey(ctx context.Context, contactID int64, key string, notBefore time.Time) (store.Idempotency, error) {
	k := store.Idempotency{ContactID: contactID, Key: key}
	var created string
	err := db.r.QueryRowContext(ctx, `SELECT request_hash, task_id, created_at FROM idempotency_keys
		WHERE contact_id = ? AND key = ? AND created_at >= ?`, contactID, key, ts(notBefore)).Scan(&k.RequestHash, &k.TaskID, &created)
	k.CreatedAt = parseTS(created)
	return k, notFound(err)
}
