package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/portalctl/portalctl/internal/dataset"
)

// upserts maps each record kind to its INSERT OR REPLACE statement. Foreign
// keys are deferred to commit inside Import, so REPLACE (delete + insert of
// the same id) and records that refer to later ones are both fine.
var upserts = map[string]string{
	"portal":          `INSERT OR REPLACE INTO portal_settings (id, name, organization_term, support_email, provider_name) VALUES (1, ?, ?, ?, ?)`,
	"organizations":   `INSERT OR REPLACE INTO organizations (id, name, parent_id, time_zone, notify_resources) VALUES (?, ?, ?, ?, ?)`,
	"security_levels": `INSERT OR REPLACE INTO security_levels (name, permissions) VALUES (?, ?)`,
	"contacts": `INSERT OR REPLACE INTO contacts (id, organization_id, first_name, last_name, email, phone, username,
		security_level, portal_enabled, active, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"resources": `INSERT OR REPLACE INTO resources (id, first_name, last_name, email, phone, title, active) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"contracts": `INSERT OR REPLACE INTO contracts (id, organization_id, name, billing_organization_id) VALUES (?, ?, ?, ?)`,
	"projects": `INSERT OR REPLACE INTO projects (id, number, name, organization_id, type, status, contract_id, lead_resource_id,
		description, start_date, end_date, completed_at, estimated_hours, percent_complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"phases": `INSERT OR REPLACE INTO phases (id, project_id, parent_phase_id, title, position, start_date, due_date) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"tasks": `INSERT OR REPLACE INTO tasks (id, project_id, phase_id, number, title, description, status, is_issue, visible_in_portal,
		client_completable, contact_id, assigned_resource_id, priority, position, start_date, due_date, completed_at,
		completed_by_contact_id, estimated_hours, contract_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"team": `INSERT OR REPLACE INTO team (project_id, resource_id, contact_id, role) VALUES (?, ?, ?, ?)`,
	"project_notes": `INSERT OR REPLACE INTO project_notes (id, project_id, title, body, author_resource_id, author_contact_id,
		created_at, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"task_notes": `INSERT OR REPLACE INTO task_notes (id, task_id, subject, body, author_resource_id, author_contact_id,
		created_at, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"attachments": `INSERT OR REPLACE INTO attachments (id, project_id, task_id, name, content_type, content, size, sha256, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"events": `INSERT OR REPLACE INTO events (id, project_id, title, starts_at, ends_at, all_day, location, description)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"billing_items": `INSERT OR REPLACE INTO billing_items (id, project_id, task_id, resource_id, contract_id, worked_date,
		hours_worked, hours_billed, rate, description, billed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
}

// importWriter writes records through one prepared statement per kind.
type importWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (w *importWriter) exec(kind string, args ...any) error {
	st, ok := w.stmts[kind]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, upserts[kind]); err != nil {
			return err
		}
		w.stmts[kind] = st
	}
	_, err := st.ExecContext(w.ctx, args...)
	return err
}

// Write upserts one dataset record.
func (w *importWriter) Write(rec any) error {
	switch r := rec.(type) {
	case *dataset.Portal:
		return w.exec("portal", r.Name, r.OrganizationTerm, r.SupportEmail, r.ProviderName)
	case *dataset.Organization:
		return w.exec("organizations", r.ID, r.Name, intPtr(r.ParentID), r.TimeZone, b2i(r.NotifyResources))
	case *dataset.SecurityLevel:
		return w.exec("security_levels", r.Name, strings.Join(r.Permissions, ","))
	case *dataset.Contact:
		return w.exec("contacts", r.ID, r.OrganizationID, r.FirstName, r.LastName, r.Email, r.Phone, strOrNil(r.Username),
			r.SecurityLevel, b2i(r.PortalEnabled), b2i(r.Active), r.PasswordHash)
	case *dataset.Resource:
		return w.exec("resources", r.ID, r.FirstName, r.LastName, r.Email, r.Phone, r.Title, b2i(r.Active))
	case *dataset.Contract:
		return w.exec("contracts", r.ID, r.OrganizationID, r.Name, intPtr(r.BillingOrganizationID))
	case *dataset.Project:
		return w.exec("projects", r.ID, r.Number, r.Name, r.OrganizationID, r.Type, r.Status, intPtr(r.ContractID),
			intPtr(r.LeadResourceID), r.Description, datePtr(r.StartDate), datePtr(r.EndDate), tsPtr(r.CompletedAt),
			decPtr(r.EstimatedHours), decPtr(r.PercentComplete))
	case *dataset.Phase:
		return w.exec("phases", r.ID, r.ProjectID, intPtr(r.ParentPhaseID), r.Title, r.Position, datePtr(r.StartDate), datePtr(r.DueDate))
	case *dataset.Task:
		return w.exec("tasks", r.ID, r.ProjectID, intPtr(r.PhaseID), r.Number, r.Title, r.Description, r.Status, b2i(r.IsIssue),
			b2i(r.VisibleInPortal), b2i(r.ClientCompletable), intPtr(r.ContactID), intPtr(r.AssignedResourceID), strOrNil(r.Priority),
			r.Position, datePtr(r.StartDate), datePtr(r.DueDate), tsPtr(r.CompletedAt), intPtr(r.CompletedByContactID),
			decPtr(r.EstimatedHours), intPtr(r.ContractID), tsPtr(r.CreatedAt))
	case *dataset.TeamMember:
		return w.exec("team", r.ProjectID, intPtr(r.ResourceID), intPtr(r.ContactID), r.Role)
	case *dataset.ProjectNote:
		return w.exec("project_notes", r.ID, r.ProjectID, r.Title, r.Body, intPtr(r.AuthorResourceID), intPtr(r.AuthorContactID),
			ts(r.CreatedAt), b2i(r.Published))
	case *dataset.TaskNote:
		return w.exec("task_notes", r.ID, r.TaskID, r.Subject, r.Body, intPtr(r.AuthorResourceID), intPtr(r.AuthorContactID),
			ts(r.CreatedAt), b2i(r.Published))
	case *dataset.Attachment:
		ct := r.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		return w.exec("attachments", r.ID, r.ProjectID, intPtr(r.TaskID), r.Name, ct, r.Content, len(r.Content),
			sha256Hex(r.Content), ts(r.CreatedAt))
	case *dataset.Event:
		return w.exec("events", r.ID, r.ProjectID, r.Title, ts(r.StartsAt), ts(r.EndsAt), b2i(r.AllDay), r.Location, r.Description)
	case *dataset.BillingItem:
		return w.exec("billing_items", r.ID, r.ProjectID, intPtr(r.TaskID), intPtr(r.ResourceID), r.ContractID, string(r.WorkedDate),
			int64(r.HoursWorked), int64(r.HoursBilled), decPtr(r.Rate), r.Description, tsPtr(r.BilledAt))
	default:
		return fmt.Errorf("import: unknown record type %T", rec)
	}
}

// Import runs fill inside one transaction with deferred foreign keys; any
// error rolls everything back.
func (db *DB) Import(ctx context.Context, fill func(w dataset.Writer) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}
	w := &importWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range w.stmts {
			st.Close()
		}
	}()
	if err := fill(w); err != nil {
		return err
	}
	return tx.Commit()
}

// IsEmpty reports whether the database holds no portal data yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM projects)`).Scan(&n)
	return n == 0, err
}
