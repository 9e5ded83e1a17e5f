package sqlstore

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

func scanProject(row Row, extra ...any) (api.Project, error) {
	return newProjectScan(extra...).scan(row)
}

// projectScan holds the scan targets of a project row. A list reuses one for
// all its rows: allocating a dozen targets per row was a tenth of the CPU
// of serving a page (pprof, bench/list.sh).
type projectScan struct {
	p          api.Project
	start, end nullDate
	completed  nullTime
	lead       sql.NullString
	est, pct   sql.NullInt64
	dest       []any
}

func newProjectScan(extra ...any) *projectScan {
	s := &projectScan{}
	s.dest = append([]any{&s.p.ID, &s.p.Number, &s.p.Name, &s.p.Status, &s.p.OrganizationID, &s.p.OrganizationName,
		&s.start, &s.end, &s.completed, &s.lead, &s.p.Description, &s.est, &s.pct}, extra...)
	return s
}

// scan reads one row; every target is overwritten (NULL included), so
// nothing leaks from the previous row.
func (s *projectScan) scan(row Row) (api.Project, error) {
	err := row.Scan(s.dest...)
	p := s.p
	p.StartDate, p.EndDate, p.CompletedAt, p.Lead = s.start.d, s.end.d, s.completed.t, nStr(s.lead)
	p.EstimatedHours, p.PercentComplete = nDec(s.est), nDec(s.pct)
	return p, err
}

// scopeProjects adds the My Projects visibility predicate on alias p.
func scopeProjects(w *where, s store.ProjectScope) {
	w.add("p.type = 'client'")
	// The unary + keeps the planner off the organization index: with an IN
	// list it would fetch every project of the organizations and sort them
	// all for each page. Walking projects in id order stops at the page's
	// end, so a page costs the same wherever it is (SQLite; harmless in
	// PostgreSQL).
	w.in("+p.organization_id", s.OrgIDs)
	if s.MemberContactID > 0 {
		w.add("EXISTS (SELECT 1 FROM team tm WHERE tm.project_id = p.id AND tm.contact_id = ?)", s.MemberContactID)
	}
}

// filterProjects adds the id, number and status filters of a project list.
func filterProjects(w *where, id int64, number string, includeCompleted bool) {
	if id > 0 {
		w.add("p.id = ?", id)
	}
	if number != "" {
		w.add("p.number = ?", number)
	}
	if !includeCompleted {
		w.add("p.status <> 'complete'")
	}
}

// Projects streams the projects matching q, ordered by id.
func (s *Store) Projects(ctx context.Context, q store.ProjectQuery, each func(api.Project) error) error {
	var w where
	scopeProjects(&w, q.Scope)
	filterProjects(&w, q.ID, q.Number, q.IncludeCompleted)
	if q.Search != "" {
		c := s.d.Contains
		w.add("("+c+"(lower(p.name), lower(?)) > 0 OR "+c+"(lower(p.number), lower(?)) > 0)", q.Search, q.Search)
	}
	w.after(q.Page, "", "p.id")
	return stream(ctx, s.r, projectSelect+projectFrom+w.sql()+" ORDER BY p.id"+limit(q.Page), w.args,
		newProjectScan().scan, each)
}

// Team lists a project's resources then contacts, each by name.
func (s *Store) Team(ctx context.Context, projectID int64) ([]api.TeamMember, error) {
	return list(ctx, s.r, `
		SELECT 'resource', r.id, r.first_name || ' ' || r.last_name, (SELECT provider_name FROM portal_settings WHERE id = 1),
			r.email, r.phone, tm.role
		FROM team tm JOIN resources r ON r.id = tm.resource_id WHERE tm.project_id = ?
		UNION ALL
		SELECT 'contact', c.id, c.first_name || ' ' || c.last_name, o.name, c.email, c.phone, tm.role
		FROM team tm JOIN contacts c ON c.id = tm.contact_id JOIN organizations o ON o.id = c.organization_id
		WHERE tm.project_id = ?
		ORDER BY 1 DESC, 3`, []any{projectID, projectID},
		func(r Row) (api.TeamMember, error) {
			var m api.TeamMember
			var org sql.NullString
			err := r.Scan(&m.Kind, &m.ID, &m.Name, &org, &m.Email, &m.Phone, &m.Role)
			m.Organization = org.String
			return m, err
		})
}

// Phases lists a project's phases ordered by position.
func (s *Store) Phases(ctx context.Context, projectID int64) ([]store.Phase, error) {
	return list(ctx, s.r, `SELECT id, project_id, parent_phase_id, title, position, start_date, due_date
		FROM phases WHERE project_id = ? ORDER BY position, id`, []any{projectID},
		func(r Row) (store.Phase, error) {
			var ph store.Phase
			var parent sql.NullInt64
			var start, due nullDate
			err := r.Scan(&ph.ID, &ph.ProjectID, &parent, &ph.Title, &ph.Position, &start, &due)
			ph.ParentPhaseID, ph.StartDate, ph.DueDate = nInt(parent), start.d, due.d
			return ph, err
		})
}

// authorName is the SQL for a note author's name from resource or contact.
const authorName = `COALESCE(ar.first_name || ' ' || ar.last_name, ac.first_name || ' ' || ac.last_name, '')`

// note is a row of project_notes or task_notes.
type note struct {
	id, parentID        int64
	title, body, author string
	created             nullTime
}

func (n note) project() api.Note {
	return api.Note{ID: n.id, ProjectID: n.parentID, Title: n.title, Body: n.body, Author: n.author, CreatedAt: n.created.value()}
}

func (n note) task() api.TaskNote {
	return api.TaskNote{ID: n.id, TaskID: n.parentID, Subject: n.title, Body: n.body, Author: n.author, CreatedAt: n.created.value()}
}

// notes streams the published notes of one project or task (parentCol), with
// their authors, ordered by id.
func (s *Store) notes(ctx context.Context, table, parentCol, titleCol string, parentID int64, page store.Page, each func(note) error) error {
	w := where{}
	w.add("n."+parentCol+" = ?", parentID)
	w.add("n.published")
	w.after(page, "", "n.id")
	return stream(ctx, s.r, `SELECT n.id, n.`+parentCol+`, n.`+titleCol+`, n.body, `+authorName+`, n.created_at
		FROM `+table+` n LEFT JOIN resources ar ON ar.id = n.author_resource_id
		LEFT JOIN contacts ac ON ac.id = n.author_contact_id`+w.sql()+` ORDER BY n.id`+limit(page), w.args,
		func(r Row) (n note, err error) {
			err = r.Scan(&n.id, &n.parentID, &n.title, &n.body, &n.author, &n.created)
			return n, err
		}, each)
}

// Notes streams a project's published notes, ordered by id.
func (s *Store) Notes(ctx context.Context, projectID int64, page store.Page, each func(api.Note) error) error {
	return s.notes(ctx, "project_notes", "project_id", "title", projectID, page, func(n note) error { return each(n.project()) })
}

// addNote inserts a published note written by a contact and returns its id
// and the author's name.
func (s *Store) addNote(ctx context.Context, table, parentCol, titleCol string, parentID int64, title, body string,
	authorContactID int64, at time.Time) (int64, string, error) {
	// A note's id comes from the table's sequence (PostgreSQL) unless an
	// import brought ids of its own; an import under way may hold the one
	// handed out (it moves the sequence past its ids when it commits), so
	// a clash is tried again with the next.
	var id int64
	var err error
	for range 3 {
		id, err = insertID(ctx, s.w, `INSERT INTO `+table+` (`+parentCol+`, `+titleCol+`, body, author_contact_id, created_at, published)
			VALUES (?, ?, ?, ?, ?, TRUE)`, parentID, title, body, authorContactID, ts(at))
		if !s.d.IsUnique(err) {
			break
		}
	}
	if err != nil {
		return 0, "", err
	}
	c, err := s.ContactByID(ctx, authorContactID)
	return id, c.Name(), err
}

// AddNote stores a published project note written by a contact.
func (s *Store) AddNote(ctx context.Context, n api.Note, authorContactID int64) (api.Note, error) {
	id, author, err := s.addNote(ctx, "project_notes", "project_id", "title", n.ProjectID, n.Title, n.Body, authorContactID, n.CreatedAt)
	n.ID, n.Author, n.CreatedAt = id, author, n.CreatedAt.UTC().Truncate(time.Second)
	return n, err
}

// Events streams a project's events overlapping [from, to], by start time.
func (s *Store) Events(ctx context.Context, projectID int64, from, to *time.Time, each func(api.Event) error) error {
	w := where{}
	w.add("project_id = ?", projectID)
	if from != nil {
		w.add("ends_at >= ?", ts(*from))
	}
	if to != nil {
		w.add("starts_at <= ?", ts(*to))
	}
	return stream(ctx, s.r, `SELECT `+eventCols+` FROM events`+w.sql()+` ORDER BY starts_at, id`, w.args, scanEvent, each)
}

const eventCols = `id, project_id, title, starts_at, ends_at, all_day, location, description`

func scanEvent(r Row) (api.Event, error) {
	var e api.Event
	var starts, ends nullTime
	err := r.Scan(&e.ID, &e.ProjectID, &e.Title, &starts, &ends, &e.AllDay, &e.Location, &e.Description)
	e.StartsAt, e.EndsAt = starts.value(), ends.value()
	return e, err
}
