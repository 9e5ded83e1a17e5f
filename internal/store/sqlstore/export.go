package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/pkg/api"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// exportQueries read each kind back in the column order its scanner expects.
var exportQueries = map[string]string{
	"organizations":   `SELECT id, name, parent_id, time_zone, notify_resources FROM organizations ORDER BY id`,
	"security_levels": `SELECT name, permissions FROM security_levels ORDER BY name`,
	"contacts": `SELECT id, organization_id, first_name, last_name, email, phone, COALESCE(username, ''), security_level,
		portal_enabled, active, password_hash FROM contacts ORDER BY id`,
	"resources": `SELECT id, first_name, last_name, email, phone, title, active FROM resources ORDER BY id`,
	"contracts": `SELECT id, organization_id, name, billing_organization_id FROM contracts ORDER BY id`,
	"projects": `SELECT id, number, name, organization_id, type, status, contract_id, lead_resource_id, description,
		start_date, end_date, completed_at, estimated_hours, percent_complete FROM projects ORDER BY id`,
	"phases": `SELECT id, project_id, parent_phase_id, title, position, start_date, due_date FROM phases ORDER BY id`,
	"tasks": `SELECT id, project_id, phase_id, number, title, description, status, is_issue, visible_in_portal,
		client_completable, contact_id, assigned_resource_id, COALESCE(priority, ''), position, start_date, due_date,
		completed_at, completed_by_contact_id, estimated_hours, contract_id, created_at FROM tasks ORDER BY id`,
	"team": `SELECT project_id, resource_id, contact_id, role FROM team
		ORDER BY project_id, CASE WHEN resource_id IS NULL THEN 1 ELSE 0 END, resource_id, contact_id`,
	"project_notes": `SELECT id, project_id, title, body, author_resource_id, author_contact_id, created_at, published
		FROM project_notes ORDER BY id`,
	"task_notes": `SELECT id, task_id, subject, body, author_resource_id, author_contact_id, created_at, published
		FROM task_notes ORDER BY id`,
	"events": `SELECT id, project_id, title, starts_at, ends_at, all_day, location, description FROM events ORDER BY id`,
	"billing_items": `SELECT id, project_id, task_id, resource_id, contract_id, worked_date, hours_worked, hours_billed, rate,
		amount, description, billed_at FROM billing_items ORDER BY id`,
}

// Export streams every portal record in dataset.Kinds order.
func (s *Store) Export(ctx context.Context, emit func(rec any) error) error {
	p, err := s.Portal(ctx)
	if err != nil {
		return err
	}
	if err := emit(&dataset.Portal{Name: p.Name, OrganizationTerm: p.OrganizationTerm, SupportEmail: p.SupportEmail,
		ProviderName: p.ProviderName}); err != nil {
		return err
	}
	for _, kind := range dataset.Kinds[1:] {
		if err := s.exportKind(ctx, kind, emit); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) exportKind(ctx context.Context, kind string, emit func(any) error) error {
	if kind == "attachments" {
		return s.exportAttachments(ctx, emit)
	}
	return stream(ctx, s.r, exportQueries[kind], nil, func(r Row) (any, error) { return scanExport(kind, r) }, emit)
}

// scanExport reads one row of a kind into its dataset record.
func scanExport(kind string, rows Row) (any, error) {
	var a, b, c, d, e sql.NullInt64
	var d1, d2 nullDate
	var t1, t2 nullTime
	switch kind {
	case "organizations":
		r := &dataset.Organization{}
		err := rows.Scan(&r.ID, &r.Name, &a, &r.TimeZone, &r.NotifyResources)
		r.ParentID = nInt(a)
		return r, err
	case "security_levels":
		r := &dataset.SecurityLevel{}
		var perms string
		err := rows.Scan(&r.Name, &perms)
		r.Permissions = splitPermissions(perms)
		return r, err
	case "contacts":
		r := &dataset.Contact{}
		return r, rows.Scan(&r.ID, &r.OrganizationID, &r.FirstName, &r.LastName, &r.Email, &r.Phone, &r.Username,
			&r.SecurityLevel, &r.PortalEnabled, &r.Active, &r.PasswordHash)
	case "resources":
		r := &dataset.Resource{}
		return r, rows.Scan(&r.ID, &r.FirstName, &r.LastName, &r.Email, &r.Phone, &r.Title, &r.Active)
	case "contracts":
		r := &dataset.Contract{}
		err := rows.Scan(&r.ID, &r.OrganizationID, &r.Name, &a)
		r.BillingOrganizationID = nInt(a)
		return r, err
	case "projects":
		r := &dataset.Project{}
		err := rows.Scan(&r.ID, &r.Number, &r.Name, &r.OrganizationID, &r.Type, &r.Status, &a, &b, &r.Description,
			&d1, &d2, &t1, &c, &d)
		r.ContractID, r.LeadResourceID, r.StartDate, r.EndDate = nInt(a), nInt(b), d1.d, d2.d
		r.CompletedAt, r.EstimatedHours, r.PercentComplete = t1.t, nDec(c), nDec(d)
		return r, err
	case "phases":
		r := &dataset.Phase{}
		err := rows.Scan(&r.ID, &r.ProjectID, &a, &r.Title, &r.Position, &d1, &d2)
		r.ParentPhaseID, r.StartDate, r.DueDate = nInt(a), d1.d, d2.d
		return r, err
	case "tasks":
		r := &dataset.Task{}
		var f sql.NullInt64
		err := rows.Scan(&r.ID, &r.ProjectID, &a, &r.Number, &r.Title, &r.Description, &r.Status, &r.IsIssue,
			&r.VisibleInPortal, &r.ClientCompletable, &b, &c, &r.Priority, &r.Position, &d1, &d2, &t1, &d, &e, &f, &t2)
		r.PhaseID, r.ContactID, r.AssignedResourceID, r.StartDate, r.DueDate = nInt(a), nInt(b), nInt(c), d1.d, d2.d
		r.CompletedAt, r.CompletedByContactID, r.EstimatedHours, r.ContractID = t1.t, nInt(d), nDec(e), nInt(f)
		r.CreatedAt = t2.t
		return r, err
	case "team":
		r := &dataset.TeamMember{}
		err := rows.Scan(&r.ProjectID, &a, &b, &r.Role)
		r.ResourceID, r.ContactID = nInt(a), nInt(b)
		return r, err
	case "project_notes":
		r := &dataset.ProjectNote{}
		err := rows.Scan(&r.ID, &r.ProjectID, &r.Title, &r.Body, &a, &b, &t1, &r.Published)
		r.AuthorResourceID, r.AuthorContactID, r.CreatedAt = nInt(a), nInt(b), t1.value()
		return r, err
	case "task_notes":
		r := &dataset.TaskNote{}
		err := rows.Scan(&r.ID, &r.TaskID, &r.Subject, &r.Body, &a, &b, &t1, &r.Published)
		r.AuthorResourceID, r.AuthorContactID, r.CreatedAt = nInt(a), nInt(b), t1.value()
		return r, err
	case "events":
		r := &dataset.Event{}
		err := rows.Scan(&r.ID, &r.ProjectID, &r.Title, &t1, &t2, &r.AllDay, &r.Location, &r.Description)
		r.StartsAt, r.EndsAt = t1.value(), t2.value()
		return r, err
	case "billing_items":
		r := &dataset.BillingItem{}
		var worked64, billed64 int64
		err := rows.Scan(&r.ID, &r.ProjectID, &a, &b, &r.ContractID, &d1, &worked64, &billed64, &c, &d, &r.Description, &t1)
		r.TaskID, r.ResourceID, r.WorkedDate, r.Rate, r.Amount, r.BilledAt = nInt(a), nInt(b), d1.value(), nDec(c), nDec(d), t1.t
		r.HoursWorked, r.HoursBilled = api.Decimal(worked64), api.Decimal(billed64)
		return r, err
	}
	return nil, nil
}
