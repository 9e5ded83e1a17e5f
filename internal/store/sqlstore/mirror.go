package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
)

// The synced copy of Autotask (internal/store/autotask) keeps the Autotask
// data portald serves in these same tables, so that every read and every
// portal rule runs here, as on any SQL store. Mirror is its write path for
// everything but billing items, which go through Import like any other
// import (so that whatever Import records about billing items, the copy
// records too).

// MirrorTx is one write transaction of the sync.
type MirrorTx struct {
	ctx context.Context
	tx  Tx
	w   *importWriter // upserts of whole records, as Import writes them
	d   Dialect
}

// Mirror runs fn in one write transaction with deferred foreign keys,
// keeping the billing feed as Import does (a contract billed to another
// organization moves its items); if fn fails nothing is written.
func (s *Store) Mirror(ctx context.Context, fn func(m *MirrorTx) error) error {
	return s.importTx(ctx, func(tx Tx, w *importWriter) error {
		return fn(&MirrorTx{ctx: ctx, tx: tx, w: w, d: s.d})
	}, nil)
}

// Write upserts a whole record by id, as Import does: resources, contracts,
// projects, phases, tasks, notes, attachments.
func (m *MirrorTx) Write(rec any) error { return m.w.Write(rec) }

// exec runs one statement after the rows Write has batched.
func (m *MirrorTx) exec(query string, args ...any) error {
	if err := m.w.flush(m.w.last); err != nil {
		return err
	}
	m.w.last = nil
	_, err := m.tx.Exec(m.ctx, query, args...)
	return err
}

// Organization upserts a company, keeping the time zone and notification
// setting of an existing row (portal settings Autotask does not have).
func (m *MirrorTx) Organization(o dataset.Organization) error {
	return m.exec(`INSERT INTO organizations (id, name, parent_id, time_zone, notify_resources) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id`,
		o.ID, o.Name, intPtr(o.ParentID), o.TimeZone, o.NotifyResources)
}

// Contact upserts a contact's Autotask fields, keeping its portal access
// (PortalAccess) and password hash.
func (m *MirrorTx) Contact(c dataset.Contact) error {
	return m.exec(`INSERT INTO contacts (id, organization_id, first_name, last_name, email, phone, portal_enabled, active)
		VALUES (?, ?, ?, ?, ?, ?, FALSE, ?)
		ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, first_name = excluded.first_name,
		last_name = excluded.last_name, email = excluded.email, phone = excluded.phone, active = excluded.active`,
		c.ID, c.OrganizationID, c.FirstName, c.LastName, c.Email, c.Phone, c.Active)
}

// PortalAccess is who may use the portal and how: set for every contact in
// one go, usernames moved without ever holding one twice.
type PortalAccess struct {
	ContactID     int64
	Username      string // "" = no portal login
	SecurityLevel string
	Enabled       bool
}

// SetPortalAccess makes the portal access of the contacts listed what it
// says, and takes it from every other contact (no username, disabled). Only
// rows that differ are written; a username moving between contacts is
// freed before it is taken, so the unique index never sees it twice.
func (m *MirrorTx) SetPortalAccess(access []PortalAccess) error {
	want := map[int64]PortalAccess{}
	for _, a := range access {
		want[a.ContactID] = a
	}
	var changed []PortalAccess
	have := map[int64]bool{}
	err := m.Query(`SELECT id, COALESCE(username, ''), security_level, portal_enabled FROM contacts
		WHERE username IS NOT NULL OR portal_enabled`, nil, func(r Row) error {
		var a PortalAccess
		if err := r.Scan(&a.ContactID, &a.Username, &a.SecurityLevel, &a.Enabled); err != nil {
			return err
		}
		have[a.ContactID] = true
		w, ok := want[a.ContactID]
		if !ok {
			w = PortalAccess{ContactID: a.ContactID, SecurityLevel: a.SecurityLevel}
		}
		if w != a {
			changed = append(changed, w)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range access {
		if !have[a.ContactID] && (a.Username != "" || a.Enabled) {
			changed = append(changed, a)
		}
	}
	for _, a := range changed {
		if err := m.exec(`UPDATE contacts SET username = NULL WHERE id = ?`, a.ContactID); err != nil {
			return err
		}
	}
	for _, a := range changed {
		if err := m.exec(`UPDATE contacts SET username = ?, security_level = ?, portal_enabled = ? WHERE id = ?`,
			strOrNil(a.Username), a.SecurityLevel, a.Enabled, a.ContactID); err != nil {
			return fmt.Errorf("portal access of contact %d: %w", a.ContactID, err)
		}
	}
	return nil
}

// Charge is a billed item that is not labour.
type Charge struct {
	ID, ProjectID, ContractID int64
	TaskID                    *int64
	Kind                      string // expense, milestone, charge, service or other
	ItemDate                  string // YYYY-MM-DD
	Name, Description         string
	Quantity                  int64 // hundredths of a unit
	Rate, Amount              *int64
	BilledAt                  any // RFC 3339 text or nil
}

// UpsertCharge writes a non-labour billed item.
func (m *MirrorTx) UpsertCharge(c Charge) error {
	return m.exec(`INSERT INTO charges (id, project_id, task_id, contract_id, kind, item_date, name, description, quantity, rate,
		amount, billed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, task_id = excluded.task_id,
		contract_id = excluded.contract_id, kind = excluded.kind, item_date = excluded.item_date, name = excluded.name,
		description = excluded.description, quantity = excluded.quantity, rate = excluded.rate, amount = excluded.amount,
		billed_at = excluded.billed_at`,
		c.ID, c.ProjectID, intPtr(c.TaskID), c.ContractID, c.Kind, c.ItemDate, c.Name, c.Description, c.Quantity,
		intPtr(c.Rate), intPtr(c.Amount), c.BilledAt)
}

// SecondaryResource upserts a TaskSecondaryResources row.
func (m *MirrorTx) SecondaryResource(id, taskID, resourceID int64) error {
	return m.exec(`INSERT INTO autotask_secondary_resources (id, task_id, resource_id) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET task_id = excluded.task_id, resource_id = excluded.resource_id`, id, taskID, resourceID)
}

// mirrored are the tables the sync may delete rows of by id, with the rows
// that hang off a row (deleted first).
var mirrored = map[string][]string{
	"project_notes":                {},
	"task_notes":                   {},
	"ticket_notes":                 {},
	"attachments":                  {},
	"charges":                      {},
	"autotask_secondary_resources": {},
	"phases":                       {},
	"tasks": {"DELETE FROM task_notes WHERE task_id IN (%s)", "DELETE FROM charges WHERE task_id IN (%s)",
		"DELETE FROM autotask_secondary_resources WHERE task_id IN (%s)"},
	"tickets": {"DELETE FROM ticket_notes WHERE ticket_id IN (%s)"},
}

// Delete removes rows of a mirrored table by id (a note deleted in
// Autotask, an attachment, a task with its notes).
func (m *MirrorTx) Delete(table string, ids []int64) error {
	dependents, ok := mirrored[table]
	if !ok {
		return fmt.Errorf("sqlstore: the sync does not delete from %s", table)
	}
	for chunk := range slices.Chunk(ids, 500) {
		list, args := idList(chunk)
		for _, q := range dependents {
			if err := m.exec(fmt.Sprintf(q, list), args...); err != nil {
				return err
			}
		}
		if err := m.exec("DELETE FROM "+table+" WHERE id IN ("+list+")", args...); err != nil {
			return err
		}
	}
	return nil
}

// idList is "?,?,…" and the arguments for ids.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?,", len(ids)), ","), args
}

// TaskByID reads one task whatever its scope (the result of a write).
func (s *Store) TaskByID(ctx context.Context, id int64) (store.ScheduleTask, error) {
	return scanTask(s.r.QueryRow(ctx, taskSelect+` WHERE t.id = ?`, id))
}

// ReplaceTeams makes the team rows of the projects listed exactly rows.
func (m *MirrorTx) ReplaceTeams(projectIDs []int64, rows []dataset.TeamMember) error {
	for chunk := range slices.Chunk(projectIDs, 500) {
		list, args := idList(chunk)
		if err := m.exec("DELETE FROM team WHERE project_id IN ("+list+")", args...); err != nil {
			return err
		}
	}
	for i := range rows {
		if err := m.w.Write(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// SetState stores one key of the sync's state.
func (m *MirrorTx) SetState(key, value string) error {
	return m.exec(`INSERT INTO autotask_sync (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
}

// Existing returns which of ids a table holds, read inside the transaction.
func (m *MirrorTx) Existing(table string, ids []int64) (map[int64]bool, error) {
	if err := m.w.flush(m.w.last); err != nil {
		return nil, err
	}
	m.w.last = nil
	return existing(m.ctx, m.tx, table, ids)
}

// Query reads inside the transaction (what the sync computes from the copy).
func (m *MirrorTx) Query(query string, args []any, each func(r Row) error) error {
	if err := m.w.flush(m.w.last); err != nil {
		return err
	}
	m.w.last = nil
	return stream(m.ctx, m.tx, query, args, func(r Row) (Row, error) { return r, nil }, each)
}

// Exec runs a statement of the sync inside the transaction.
func (m *MirrorTx) Exec(query string, args ...any) error { return m.exec(query, args...) }

func existing(ctx context.Context, c Conn, table string, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for chunk := range slices.Chunk(ids, 500) {
		list, args := idList(chunk)
		err := stream(ctx, c, "SELECT id FROM "+table+" WHERE id IN ("+list+")", args,
			func(r Row) (int64, error) { var id int64; err := r.Scan(&id); return id, err },
			func(id int64) error { out[id] = true; return nil })
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SyncState reads the sync's state.
func (s *Store) SyncState(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := stream(ctx, s.r, `SELECT key, value FROM autotask_sync`, nil,
		func(r Row) ([2]string, error) { var kv [2]string; err := r.Scan(&kv[0], &kv[1]); return kv, err },
		func(kv [2]string) error { out[kv[0]] = kv[1]; return nil })
	return out, err
}

// SetSyncState stores one key of the sync's state on its own.
func (s *Store) SetSyncState(ctx context.Context, key, value string) error {
	_, err := s.w.Exec(ctx, `INSERT INTO autotask_sync (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// CompareAndSetSyncState sets key to value when it holds old ("" = absent):
// the lease of the sync on SQLite. It reports whether it did.
func (s *Store) CompareAndSetSyncState(ctx context.Context, key, old, value string) (bool, error) {
	var n int64
	var err error
	if old == "" {
		n, err = s.w.Exec(ctx, `INSERT INTO autotask_sync (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
	} else {
		n, err = s.w.Exec(ctx, `UPDATE autotask_sync SET value = ? WHERE key = ? AND value = ?`, value, key, old)
	}
	return n == 1, err
}

// IDs streams the ids a table holds where cond (SQL over the table, "" for
// all rows) holds, in id order: what reconciling removals compares.
func (s *Store) IDs(ctx context.Context, table, cond string, args []any, each func(id int64) error) error {
	q := "SELECT id FROM " + table
	if cond != "" {
		q += " WHERE " + cond
	}
	return stream(ctx, s.r, q+" ORDER BY id", args,
		func(r Row) (int64, error) { var id int64; err := r.Scan(&id); return id, err }, each)
}

// Existing returns which of ids a table holds.
func (s *Store) Existing(ctx context.Context, table string, ids []int64) (map[int64]bool, error) {
	return existing(ctx, s.r, table, ids)
}
