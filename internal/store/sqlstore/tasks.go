package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

func scanTask(row Row) (store.ScheduleTask, error) {
	var t store.ScheduleTask
	var prio, contactName, assignee, completedBy sql.NullString
	var start, due nullDate
	var completed, created nullTime
	var phase, contact sql.NullInt64
	err := row.Scan(&t.ID, &t.Number, &t.Title, &t.Description, &t.Status, &prio, &t.IsIssue, &t.ProjectID,
		&t.ProjectNumber, &t.ProjectName, &phase, &contact, &contactName, &assignee, &t.ClientCompletable,
		&start, &due, &completed, &completedBy, &created, &t.Position)
	t.Priority, t.PhaseID, t.ContactID, t.ContactName = nStr(prio), nInt(phase), nInt(contact), nStr(contactName)
	t.AssignedResource, t.StartDate, t.DueDate, t.CompletedAt = nStr(assignee), start.d, due.d, completed.t
	t.CompletedBy, t.CreatedAt = nStr(completedBy), created.t
	return t, err
}

// taskWhere builds the conditions of a TaskQuery.
func taskWhere(q store.TaskQuery) where {
	var w where
	w.add("t.visible_in_portal")
	if q.BilledToOrgID > 0 {
		o := q.BilledToOrgID
		w.add(clientProjectOfAnother, o)
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
			AND ((t.contact_id = ? AND t.client_completable) OR t.status = 'waiting_customer')`, q.OpenForContactID)
	}
	if q.IssuesOnly {
		w.add("t.is_issue")
	}
	return w
}

// Tasks streams the tasks matching q, ordered by id.
func (s *Store) Tasks(ctx context.Context, q store.TaskQuery, each func(api.Task) error) error {
	w := taskWhere(q)
	w.after(q.Page, "", "t.id")
	return stream(ctx, s.r, taskSelect+w.sql()+" ORDER BY t.id"+limit(q.Page), w.args, scanTask,
		func(t store.ScheduleTask) error { return each(t.Task) })
}

// ScheduleTasks returns the tasks matching q ordered by position, id.
func (s *Store) ScheduleTasks(ctx context.Context, q store.TaskQuery) ([]store.ScheduleTask, error) {
	w := taskWhere(q)
	return list(ctx, s.r, taskSelect+w.sql()+" ORDER BY t.position, t.id", w.args, scanTask)
}

// TaskNotes streams a task's published notes, ordered by id.
func (s *Store) TaskNotes(ctx context.Context, taskID int64, page store.Page, each func(api.TaskNote) error) error {
	return s.notes(ctx, "task_notes", "task_id", "subject", taskID, page, func(n note) error { return each(n.task()) })
}

// AddTaskNote stores a published task note written by a contact.
func (s *Store) AddTaskNote(ctx context.Context, n api.TaskNote, authorContactID int64) (api.TaskNote, error) {
	id, author, err := s.addNote(ctx, "task_notes", "task_id", "subject", n.TaskID, n.Subject, n.Body, authorContactID, n.CreatedAt)
	n.ID, n.Author, n.CreatedAt = id, author, n.CreatedAt.UTC().Truncate(time.Second)
	return n, err
}

// CompleteTask marks a task complete unless it already is.
func (s *Store) CompleteTask(ctx context.Context, taskID, contactID int64, at time.Time) (bool, error) {
	n, err := s.w.Exec(ctx, `UPDATE tasks SET status = 'complete', completed_at = ?, completed_by_contact_id = ?
		WHERE id = ? AND status <> 'complete'`, ts(at), contactID, taskID)
	return n > 0, err
}

// TaskAssignee returns the resource a task is assigned to.
func (s *Store) TaskAssignee(ctx context.Context, taskID int64) (store.Resource, error) {
	var id sql.NullInt64
	if err := s.r.QueryRow(ctx, `SELECT assigned_resource_id FROM tasks WHERE id = ?`, taskID).Scan(&id); err != nil {
		return store.Resource{}, err
	}
	if !id.Valid {
		return store.Resource{}, store.ErrNotFound
	}
	return s.Resource(ctx, id.Int64)
}

// CreateIssue stores a new issue and, atomically, its idempotency key.
func (s *Store) CreateIssue(ctx context.Context, in store.NewIssue, key *store.Idempotency) (api.Task, error) {
	var t api.Task
	err := s.inTx(ctx, func(tx Tx) (err error) {
		t, err = s.createIssue(ctx, tx, in, key)
		return err
	})
	return t, err
}

// CreateIssueIfAbsent files the issue unless the project has an open one of
// the same title (store.IssueDeduper). Filings of one project are
// serialized: SQLite's write transactions are exclusive; PostgreSQL locks
// the project's row (Dialect.RowLock) until the transaction ends.
func (s *Store) CreateIssueIfAbsent(ctx context.Context, in store.NewIssue, key *store.Idempotency) (api.Task, bool, error) {
	var t api.Task
	var created bool
	err := s.inTx(ctx, func(tx Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM projects WHERE id = ?`+s.d.RowLock, in.ProjectID).Scan(&id); err != nil {
			return err
		}
		id, err := openIssueTitled(ctx, tx, in.ProjectID, in.Title)
		if err != nil {
			return err
		}
		if id == 0 {
			t, err = s.createIssue(ctx, tx, in, key)
			created = err == nil
			return err
		}
		if err := s.storeKey(ctx, tx, key, id); err != nil {
			return err
		}
		st, err := scanTask(tx.QueryRow(ctx, taskSelect+` WHERE t.id = ?`, id))
		t = st.Task
		return err
	})
	return t, created, err
}

// openIssueTitled returns the id of the project's oldest open issue visible
// in the portal titled title (ignoring case and surrounding blanks), or 0.
// Titles are compared here rather than in SQL: SQLite's lower() knows only
// ASCII.
func openIssueTitled(ctx context.Context, tx Tx, projectID int64, title string) (int64, error) {
	var found int64
	err := stream(ctx, tx, `SELECT id, title FROM tasks WHERE project_id = ? AND is_issue AND visible_in_portal
		AND status <> 'complete' ORDER BY id`, []any{projectID}, func(r Row) (issueTitle, error) {
		var it issueTitle
		err := r.Scan(&it.id, &it.title)
		return it, err
	}, func(it issueTitle) error {
		if found == 0 && strings.EqualFold(strings.TrimSpace(it.title), strings.TrimSpace(title)) {
			found = it.id
		}
		return nil
	})
	return found, err
}

type issueTitle struct {
	id    int64
	title string
}

// createIssue inserts an issue and its idempotency key in tx.
func (s *Store) createIssue(ctx context.Context, tx Tx, in store.NewIssue, key *store.Idempotency) (api.Task, error) {
	var pos int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM tasks WHERE project_id = ? AND phase_id IS NULL`,
		in.ProjectID).Scan(&pos); err != nil {
		return api.Task{}, err
	}
	// The number needs the id, so insert with a unique placeholder number first.
	id, err := insertID(ctx, tx, `INSERT INTO tasks (project_id, number, title, description, status, is_issue, visible_in_portal,
		contact_id, priority, position, created_at) VALUES (?, ?, ?, ?, 'new', TRUE, TRUE, ?, ?, ?, ?)`,
		in.ProjectID, "pending-"+randomHex(), in.Title, in.Description, in.ContactID, in.Priority, pos, ts(in.CreatedAt))
	if err != nil {
		return api.Task{}, err
	}
	number := fmt.Sprintf("T%s.%04d", in.CreatedAt.UTC().Format("20060102"), id)
	if _, err := tx.Exec(ctx, `UPDATE tasks SET number = ? WHERE id = ?`, number, id); err != nil {
		return api.Task{}, err
	}
	if err := s.storeKey(ctx, tx, key, id); err != nil {
		return api.Task{}, err
	}
	t, err := scanTask(tx.QueryRow(ctx, taskSelect+` WHERE t.id = ?`, id))
	return t.Task, err
}

// storeKey records an idempotency key for a new task, replacing an expired
// one; a live key is store.ErrConflict.
func (s *Store) storeKey(ctx context.Context, tx Tx, key *store.Idempotency, taskID int64) error {
	if key == nil {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE contact_id = ? AND key = ? AND created_at < ?`,
		key.ContactID, key.Key, ts(key.CreatedAt.Add(-store.IdempotencyTTL))); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (contact_id, key, request_hash, task_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, key.ContactID, key.Key, key.RequestHash, taskID, ts(key.CreatedAt))
	if s.d.IsUnique(err) {
		return store.ErrConflict
	}
	return err
}

// IdempotencyKey returns a key stored at or after notBefore.
func (s *Store) IdempotencyKey(ctx context.Context, contactID int64, key string, notBefore time.Time) (store.Idempotency, error) {
	k := store.Idempotency{ContactID: contactID, Key: key}
	var created nullTime
	err := s.r.QueryRow(ctx, `SELECT request_hash, task_id, created_at FROM idempotency_keys
		WHERE contact_id = ? AND key = ? AND created_at >= ?`, contactID, key, ts(notBefore)).Scan(&k.RequestHash, &k.TaskID, &created)
	k.CreatedAt = created.value()
	return k, err
}
