package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
)

// RemoveBillingItems removes billing items in one transaction, each
// removal recorded in the billing feed.
func (s *Store) RemoveBillingItems(ctx context.Context, ids []int64) error {
	return s.Import(ctx, func(w dataset.Writer) error {
		for _, id := range ids {
			if err := w.Write(store.BillingItemRemoval{ID: id}); err != nil {
				return err
			}
		}
		return nil
	})
}

// upsert is the INSERT of one record kind that replaces the record with the
// same key (conflict), so importing a file twice gives the same database.
// Foreign keys are deferred to commit inside Import, so records may refer to
// later ones.
type upsert struct {
	table, cols, conflict string
}

// sql is the statement for rows rows at once; plain leaves out the ON
// CONFLICT clause (for a table that was empty: no row can conflict).
func (u upsert) sql(rows int, plain bool) string {
	cols := strings.Split(u.cols, ", ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	q := "INSERT INTO " + u.table + " (" + u.cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
	if plain {
		return q
	}
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = c + " = excluded." + c
	}
	return q + " ON CONFLICT " + u.conflict + " DO UPDATE SET " + strings.Join(set, ", ")
}

var upserts = map[string]upsert{
	"portal":          {"portal_settings", "id, name, organization_term, support_email, provider_name", "(id)"},
	"organizations":   {"organizations", "id, name, parent_id, time_zone, notify_resources", "(id)"},
	"security_levels": {"security_levels", "name, permissions", "(name)"},
	"contacts": {"contacts", "id, organization_id, first_name, last_name, email, phone, username, security_level, " +
		"portal_enabled, active, password_hash", "(id)"},
	"resources": {"resources", "id, first_name, last_name, email, phone, title, active", "(id)"},
	"contracts": {"contracts", "id, organization_id, name, billing_organization_id", "(id)"},
	"projects": {"projects", "id, number, name, organization_id, type, status, contract_id, lead_resource_id, " +
		"description, start_date, end_date, completed_at, estimated_hours, percent_complete", "(id)"},
	"phases": {"phases", "id, project_id, parent_phase_id, title, position, start_date, due_date", "(id)"},
	"tasks": {"tasks", "id, project_id, phase_id, number, title, description, status, is_issue, visible_in_portal, " +
		"client_completable, contact_id, assigned_resource_id, priority, position, start_date, due_date, completed_at, " +
		"completed_by_contact_id, estimated_hours, contract_id, created_at", "(id)"},
	// A team row names a resource or a contact; each has its own partial unique index.
	"team_resource": {"team", "project_id, resource_id, contact_id, role", "(project_id, resource_id) WHERE resource_id IS NOT NULL"},
	"team_contact":  {"team", "project_id, resource_id, contact_id, role", "(project_id, contact_id) WHERE contact_id IS NOT NULL"},
	"project_notes": {"project_notes", "id, project_id, title, body, author_resource_id, author_contact_id, created_at, published", "(id)"},
	"task_notes":    {"task_notes", "id, task_id, subject, body, author_resource_id, author_contact_id, created_at, published", "(id)"},
	"attachments":   {"attachments", "id, project_id, task_id, name, content_type, size, sha256, created_at", "(id)"},
	// Chunks are keyed by attachment and position: upserted one at a time.
	"attachment_chunks": {"attachment_chunks", "attachment_id, seq, data", "(attachment_id, seq)"},
	"events":            {"events", "id, project_id, title, starts_at, ends_at, all_day, location, description", "(id)"},
	"billing_items": {"billing_items", "id, project_id, task_id, resource_id, contract_id, worked_date, hours_worked, " +
		"hours_billed, rate, amount, description, billed_at, position", "(id)"},
}

// analyzeRows is the size of an import after which Dialect.Analyze runs.
const analyzeRows = 1000

// Write upserts one dataset record.
func (w *importWriter) Write(rec any) error {
	switch r := rec.(type) {
	case *dataset.Portal:
		return w.exec("portal", 1, r.Name, r.OrganizationTerm, r.SupportEmail, r.ProviderName)
	case *dataset.Organization:
		return w.exec("organizations", r.ID, r.Name, intPtr(r.ParentID), r.TimeZone, r.NotifyResources)
	case *dataset.SecurityLevel:
		return w.exec("security_levels", r.Name, strings.Join(r.Permissions, ","))
	case *dataset.Contact:
		return w.exec("contacts", r.ID, r.OrganizationID, r.FirstName, r.LastName, r.Email, r.Phone, strOrNil(r.Username),
			r.SecurityLevel, r.PortalEnabled, r.Active, r.PasswordHash)
	case *dataset.Resource:
		return w.exec("resources", r.ID, r.FirstName, r.LastName, r.Email, r.Phone, r.Title, r.Active)
	case *dataset.Contract:
		return w.exec("contracts", r.ID, r.OrganizationID, r.Name, intPtr(r.BillingOrganizationID))
	case *dataset.Project:
		return w.exec("projects", r.ID, r.Number, r.Name, r.OrganizationID, r.Type, r.Status, intPtr(r.ContractID),
			intPtr(r.LeadResourceID), r.Description, datePtr(r.StartDate), datePtr(r.EndDate), tsPtr(r.CompletedAt),
			decPtr(r.EstimatedHours), decPtr(r.PercentComplete))
	case *dataset.Phase:
		return w.exec("phases", r.ID, r.ProjectID, intPtr(r.ParentPhaseID), r.Title, r.Position, datePtr(r.StartDate), datePtr(r.DueDate))
	case *dataset.Task:
		return w.exec("tasks", r.ID, r.ProjectID, intPtr(r.PhaseID), r.Number, r.Title, r.Description, r.Status, r.IsIssue,
			r.VisibleInPortal, r.ClientCompletable, intPtr(r.ContactID), intPtr(r.AssignedResourceID), strOrNil(r.Priority),
			r.Position, datePtr(r.StartDate), datePtr(r.DueDate), tsPtr(r.CompletedAt), intPtr(r.CompletedByContactID),
			decPtr(r.EstimatedHours), intPtr(r.ContractID), tsPtr(r.CreatedAt))
	case *dataset.TeamMember:
		if r.ResourceID != nil {
			return w.exec("team_resource", r.ProjectID, intPtr(r.ResourceID), intPtr(r.ContactID), r.Role)
		}
		return w.exec("team_contact", r.ProjectID, intPtr(r.ResourceID), intPtr(r.ContactID), r.Role)
	case *dataset.ProjectNote:
		return w.exec("project_notes", r.ID, r.ProjectID, r.Title, r.Body, intPtr(r.AuthorResourceID), intPtr(r.AuthorContactID),
			ts(r.CreatedAt), r.Published)
	case *dataset.TaskNote:
		return w.exec("task_notes", r.ID, r.TaskID, r.Subject, r.Body, intPtr(r.AuthorResourceID), intPtr(r.AuthorContactID),
			ts(r.CreatedAt), r.Published)
	case *dataset.Attachment:
		return w.writeAttachment(r)
	case *dataset.Event:
		return w.exec("events", r.ID, r.ProjectID, r.Title, ts(r.StartsAt), ts(r.EndsAt), r.AllDay, r.Location, r.Description)
	case *dataset.BillingItem:
		return w.exec("billing_items", r.ID, r.ProjectID, intPtr(r.TaskID), intPtr(r.ResourceID), r.ContractID, string(r.WorkedDate),
			int64(r.HoursWorked), int64(r.HoursBilled), decPtr(r.Rate), decPtr(r.Amount), r.Description, tsPtr(r.BilledAt), nil) // position: the feed's
	case store.BillingItemRemoval:
		// Pending upserts first: the file's order is the order of changes.
		if err := w.flush(w.last); err != nil {
			return err
		}
		return w.feed.remove(r.ID)
	default:
		return fmt.Errorf("import: unknown record type %T", rec)
	}
}

// Import runs fill inside one transaction with deferred foreign keys; any
// error rolls everything back. Billing-item changes (and contract or
// project changes that move items between exports) go into the billing
// feed (feedWriter).
func (s *Store) Import(ctx context.Context, fill func(w dataset.Writer) error) error {
	return s.importTx(ctx, func(_ Tx, w *importWriter) error { return fill(w) }, func(tx Tx, w *importWriter) error {
		after := s.d.AfterImport
		if (w.rows >= analyzeRows || w.filled) && s.d.Analyze != "" {
			after = append(slices.Clip(after), s.d.Analyze)
		}
		for _, q := range after {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// importTx runs fn with an import writer in one write transaction with
// deferred foreign keys, keeping the billing feed, then after (when not
// nil) once every row is written. Every write of portal records goes
// through it (Import, and the Autotask copy's Mirror), so the feed sees
// every change that moves a billing item.
func (s *Store) importTx(ctx context.Context, fn, after func(tx Tx, w *importWriter) error) error {
	bulk := false
	err := s.inTx(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, s.d.DeferForeignKeys); err != nil {
			return err
		}
		feed, err := newFeedWriter(ctx, tx, s.d)
		if err != nil {
			return err
		}
		w := &importWriter{ctx: ctx, tx: tx, d: s.d, loaders: map[string]*tableLoader{}, feed: feed}
		defer func() { bulk = w.bulk; w.close() }()
		if err := fn(tx, w); err != nil {
			return err
		}
		if err := w.finish(); err != nil {
			return err
		}
		if err := feed.finish(); err != nil {
			return err
		}
		if after == nil {
			return nil
		}
		return after(tx, w)
	})
	if bulk {
		// Settings belong to the connection (SQLite's writer pool is one
		// connection), so they outlive the transaction, even a rolled back one.
		for _, q := range s.d.BulkLoadDone {
			if _, restoreErr := s.w.Exec(context.WithoutCancel(ctx), q); err == nil {
				err = restoreErr
			}
		}
	}
	return err
}
