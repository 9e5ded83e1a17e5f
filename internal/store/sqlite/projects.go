package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

const projectSelect = `SELECT p.id, p.number, p.name, p.status, p.organization_id, o.name, p.start_date, p.end_date,
	p.completed_at, r.first_name || ' ' || r.last_name, p.description, p.estimated_hours, p.percent_complete`

const projectFrom = ` FROM projects p JOIN organizations o ON o.id = p.organization_id
	LEFT JOIN resources r ON r.id = p.lead_resource_id`

func scanProject(rows *sql.Rows, extra ...any) (api.Project, error) {
	var p api.Project
	var start, end, completed, lead sql.NullString
	var est, pct sql.NullInt64
	dest := append([]any{&p.ID, &p.Number, &p.Name, &p.Status, &p.OrganizationID, &p.OrganizationName,
		&start, &end, &completed, &lead, &p.Description, &est, &pct}, extra...)
	err := rows.Scan(dest...)
	p.StartDate, p.EndDate, p.CompletedAt, p.Lead = nDate(start), nDate(end), nTime(completed), nStr(lead)
	p.EstimatedHours, p.PercentComplete = nDec(est), nDec(pct)
	return p, err
}

// scopeProjects adds the My Projects visibility predicate on alias p.
func scopeProjects(w *where, s store.ProjectScope) {
	w.add("p.type = 'client'")
	w.in("p.organization_id", s.OrgIDs)
	if s.MemberContactID > 0 {
		w.add("EXISTS (SELECT 1 FROM team tm WHERE tm.project_id = p.id AND tm.contact_id = ?)", s.MemberContactID)
	}
}

// Projects streams the projects matching q, ordered by id.
func (db *DB) Projects(ctx context.Context, q store.ProjectQuery, each func(api.Project) error) error {
	var w where
	scopeProjects(&w, q.Scope)
	if q.ID > 0 {
		w.add("p.id = ?", q.ID)
	}
	if q.Number != "" {
		w.add("p.number = ?", q.Number)
	}
	if !q.IncludeCompleted {
		w.add("p.status <> 'complete'")
	}
	if q.Search != "" {
		w.add("(instr(lower(p.name), lower(?)) > 0 OR instr(lower(p.number), lower(?)) > 0)", q.Search, q.Search)
	}
	w.after(q.Page, "", "p.id")
	rows, err := db.r.QueryContext(ctx, projectSelect+projectFrom+w.sql()+" ORDER BY p.id"+limit(q.Page), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return err
		}
		if err := each(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// IsTeamMember reports whether a contact is on a project's team.
func (db *DB) IsTeamMember(ctx context.Context, projectID, contactID int64) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM team WHERE project_id = ? AND contact_id = ?`, projectID, contactID).Scan(&n)
	return n > 0, err
}

// Team lists a project's resources then contacts, each by name.
func (db *DB) Team(ctx context.Context, projectID int64) ([]api.TeamMember, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT 'resource', r.id, r.first_name || ' ' || r.last_name, (SELECT provider_name FROM portal_settings WHERE id = 1),
			r.email, r.phone, tm.role
		FROM team tm JOIN resources r ON r.id = tm.resource_id WHERE tm.project_id = ?
		UNION ALL
		SELECT 'contact', c.id, c.first_name || ' ' || c.last_name, o.name, c.email, c.phone, tm.role
		FROM team tm JOIN contacts c ON c.id = tm.contact_id JOIN organizations o ON o.id = c.organization_id
		WHERE tm.project_id = ?
		ORDER BY 1 DESC, 3`, projectID, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.TeamMember{}
	for rows.Next() {
		var m api.TeamMember
		var org sql.NullString
		if err := rows.Scan(&m.Kind, &m.ID, &m.Name, &org, &m.Email, &m.Phone, &m.Role); err != nil {
			return nil, err
		}
		m.Organization = org.String
		out = append(out, m)
	}
	return out, rows.Err()
}

// Phases lists a project's phases ordered by position.
func (db *DB) Phases(ctx context.Context, projectID int64) ([]store.Phase, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, project_id, parent_phase_id, title, position, start_date, due_date
		FROM phases WHERE project_id = ? ORDER BY position, id`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Phase
	for rows.Next() {
		var ph store.Phase
		var parent sql.NullInt64
		var start, due sql.NullString
		if err := rows.Scan(&ph.ID, &ph.ProjectID, &parent, &ph.Title, &ph.Position, &start, &due); err != nil {
			return nil, err
		}
		ph.ParentPhaseID, ph.StartDate, ph.DueDate = nInt(parent), nDate(start), nDate(due)
		out = append(out, ph)
	}
	return out, rows.Err()
}

// authorName is the SQL for a note author's name from resource or contact.
const authorName = `COALESCE(ar.first_name || ' ' || ar.last_name, ac.first_name || ' ' || ac.last_name, '')`

// Notes streams a project's published notes, ordered by id.
func (db *DB) Notes(ctx context.Context, projectID int64, page store.Page, each func(api.Note) error) error {
	w := where{}
	w.add("n.project_id = ?", projectID)
	w.add("n.published = 1")
	w.after(page, "", "n.id")
	rows, err := db.r.QueryContext(ctx, `SELECT n.id, n.project_id, n.title, n.body, `+authorName+`, n.created_at
		FROM project_notes n LEFT JOIN resources ar ON ar.id = n.author_resource_id
		LEFT JOIN contacts ac ON ac.id = n.author_contact_id`+w.sql()+` ORDER BY n.id`+limit(page), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n api.Note
		var created string
		if err := rows.Scan(&n.ID, &n.ProjectID, &n.Title, &n.Body, &n.Author, &created); err != nil {
			return err
		}
		n.CreatedAt = parseTS(created)
		if err := each(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AddNote stores a published project note written by a contact.
func (db *DB) AddNote(ctx context.Context, n api.Note, authorContactID int64) (api.Note, error) {
	res, err := db.w.ExecContext(ctx, `INSERT INTO project_notes (project_id, title, body, author_contact_id, created_at, published)
		VALUES (?, ?, ?, ?, ?, 1)`, n.ProjectID, n.Title, n.Body, authorContactID, ts(n.CreatedAt))
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

const attachmentCols = `id, project_id, task_id, name, content_type, size, sha256, created_at`

func scanAttachment(s interface{ Scan(...any) error }, extra ...any) (api.Attachment, error) {
	var a api.Attachment
	var task sql.NullInt64
	var created string
	err := s.Scan(append([]any{&a.ID, &a.ProjectID, &task, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &created}, extra...)...)
	a.TaskID, a.CreatedAt = nInt(task), parseTS(created)
	return a, notFound(err)
}

// Attachments streams a project's attachment metadata, ordered by id.
func (db *DB) Attachments(ctx context.Context, projectID int64, page store.Page, each func(api.Attachment) error) error {
	w := where{}
	w.add("project_id = ?", projectID)
	w.after(page, "", "id")
	rows, err := db.r.QueryContext(ctx, `SELECT `+attachmentCols+` FROM attachments`+w.sql()+` ORDER BY id`+limit(page), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return err
		}
		if err := each(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AttachmentContent returns an attachment with its bytes.
func (db *DB) AttachmentContent(ctx context.Context, id int64) (store.AttachmentContent, error) {
	var c store.AttachmentContent
	a, err := scanAttachment(db.r.QueryRowContext(ctx, `SELECT `+attachmentCols+`, content FROM attachments WHERE id = ?`, id), &c.Content)
	c.Attachment = a
	return c, err
}

// Events streams a project's events overlapping [from, to], by start time.
func (db *DB) Events(ctx context.Context, projectID int64, from, to *time.Time, each func(api.Event) error) error {
	w := where{}
	w.add("project_id = ?", projectID)
	if from != nil {
		w.add("ends_at >= ?", ts(*from))
	}
	if to != nil {
		w.add("starts_at <= ?", ts(*to))
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, project_id, title, starts_at, ends_at, all_day, location, description
		FROM events`+w.sql()+` ORDER BY starts_at, id`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e api.Event
		var starts, ends string
		if err := rows.Scan(&e.ID, &e.ProjectID, &e.Title, &starts, &ends, &e.AllDay, &e.Location, &e.Description); err != nil {
			return err
		}
		e.StartsAt, e.EndsAt = parseTS(starts), parseTS(ends)
		if err := each(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
