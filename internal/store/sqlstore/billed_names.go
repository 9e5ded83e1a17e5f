package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// billedProject is what a billed-hours row shows of its project and client.
type billedProject struct {
	id           int64
	number, name string
	clientID     int64
	clientName   string
}

// label sets a row's project and client.
func (p *billedProject) label(r *api.BilledHoursRow) {
	r.ProjectID, r.ProjectNumber, r.ProjectName = &p.id, &p.number, &p.name
	r.ClientID, r.ClientName = p.clientID, p.clientName
}

// billedTicket is what a billed-hours row shows of its ticket and client.
type billedTicket struct {
	id            int64
	number, title string
	clientID      int64
	clientName    string
}

// label sets a row's ticket and client.
func (t *billedTicket) label(r *api.BilledHoursRow) {
	r.TicketID, r.TicketNumber, r.TicketTitle = &t.id, &t.number, &t.title
	r.ClientID, r.ClientName = t.clientID, t.clientName
}

// billedTask is what a row shows of its task.
type billedTask struct {
	id            int64
	number, title string
}

// billedNames label an export's rows: a few hundred projects, tasks and
// resources repeated over a million items. A nil task or resource is one
// that does not exist (the row shows null, as a LEFT JOIN would).
type billedNames struct {
	projects  map[int64]*billedProject
	tickets   map[int64]*billedTicket
	tasks     map[int64]*billedTask
	resources map[int64]*string
	// scope selects the export's projects p (billedProjectScope);
	// itemBilled tells whether those billed item by item were read.
	scope       where
	orgID       int64
	itemBilled  bool
	ticketsRead bool // the end-client tickets were read
}

// billedMiss names a project, task or resource a row needs and the names
// lack: one created or changed since they were read, or a task on another
// project than its item's.
type billedMiss struct {
	kind string // "project", "ticket", "task" or "resource"
	id   int64
}

// readBilledNames reads the projects in scope whose contract bills the
// organization, their tasks, and every resource's name. End-client
// projects billed only item by item, and tasks on other projects, come in
// when a row misses them (readMissing): finding those means looking at
// the billing items (PostgreSQL took 0.8 s on a million), which pages and
// most exports need not do. So do the end-client tickets for a page; a
// whole export that may hold ticket work reads them first, since a miss
// restarts the query, which PostgreSQL answers by sorting every remaining
// item again (1.3 s of a million-item export).
func readBilledNames(ctx context.Context, c Conn, q store.BilledHoursQuery) (*billedNames, error) {
	n := &billedNames{projects: map[int64]*billedProject{}, tickets: map[int64]*billedTicket{}, tasks: map[int64]*billedTask{},
		resources: map[int64]*string{}, orgID: q.BillingOrgID}
	billedProjectScope(&n.scope, q, "p.id")
	err := n.readProjectsAndTasks(ctx, c,
		and(n.scope, contractBilledTo("p.contract_id"), q.BillingOrgID))
	if err == nil {
		err = n.readResources(ctx, c, "", nil)
	}
	if err == nil && q.Page.Limit == 0 && q.Kind != store.WorkProject && q.ProjectID == 0 {
		err = n.readEndClientTickets(ctx, c)
	}
	return n, err
}

// readEndClientTickets reads every end-client ticket of the organization.
func (n *billedNames) readEndClientTickets(ctx context.Context, c Conn) error {
	var w where
	endClientTicketWhere(&w, n.orgID)
	n.ticketsRead = true
	return n.readTickets(ctx, c, w)
}

// readMissing reads what a row lacked: the projects billed item by item
// (all of them at the first miss: each miss restarts the query) or the
// one project, with their tasks; the resource; or the task with the other
// tasks of its project (a task on a foreign project rarely comes alone).
func (n *billedNames) readMissing(ctx context.Context, c Conn, m billedMiss) error {
	var err error
	switch m.kind {
	case "project":
		w := and(n.scope, "p.id = ?", m.id)
		if !n.itemBilled {
			w = and(n.scope, `EXISTS (SELECT 1 FROM billing_items b WHERE b.project_id = p.id
				AND `+contractBilledTo("b.contract_id")+`)`, n.orgID)
			n.itemBilled = true
		}
		err = n.readProjectsAndTasks(ctx, c, w)
		if _, ok := n.projects[m.id]; !ok && err == nil {
			// The streamed query saw it in scope; it is not now.
			return fmt.Errorf("project %d changed during the export", m.id)
		}
	case "ticket":
		// Tickets come only with ticket items: all the organization's
		// end-client tickets at the first miss, one at a time after.
		if n.ticketsRead {
			var w where
			endClientTicketWhere(&w, n.orgID)
			w.add("t.id = ?", m.id)
			err = n.readTickets(ctx, c, w)
		} else {
			err = n.readEndClientTickets(ctx, c)
		}
		if _, ok := n.tickets[m.id]; !ok && err == nil {
			return fmt.Errorf("ticket %d changed during the export", m.id)
		}
	case "task":
		err = n.readTasks(ctx, c, `WHERE t.project_id = (SELECT project_id FROM tasks WHERE id = ?)`, []any{m.id})
		if _, ok := n.tasks[m.id]; !ok {
			n.tasks[m.id] = nil
		}
	case "resource":
		err = n.readResources(ctx, c, ` WHERE id = ?`, []any{m.id})
		if _, ok := n.resources[m.id]; !ok {
			n.resources[m.id] = nil
		}
	}
	return err
}

// readProjectsAndTasks reads the projects p that w selects, with their tasks.
func (n *billedNames) readProjectsAndTasks(ctx context.Context, c Conn, w where) error {
	err := stream(ctx, c, `SELECT p.id, p.number, p.name, o.id, o.name FROM projects p
		JOIN organizations o ON o.id = p.organization_id`+w.sql(), w.args,
		func(r Row) (struct{}, error) {
			var p billedProject
			err := r.Scan(&p.id, &p.number, &p.name, &p.clientID, &p.clientName)
			n.projects[p.id] = &p
			return struct{}{}, err
		}, none)
	if err != nil {
		return err
	}
	return n.readTasks(ctx, c, `WHERE t.project_id IN (SELECT p.id FROM projects p`+w.sql()+`)`, w.args)
}

// readTickets reads the tickets t that w selects.
func (n *billedNames) readTickets(ctx context.Context, c Conn, w where) error {
	return stream(ctx, c, `SELECT t.id, t.number, t.title, o.id, o.name FROM tickets t
		JOIN organizations o ON o.id = t.organization_id`+w.sql(), w.args,
		func(r Row) (struct{}, error) {
			var t billedTicket
			err := r.Scan(&t.id, &t.number, &t.title, &t.clientID, &t.clientName)
			n.tickets[t.id] = &t
			return struct{}{}, err
		}, none)
}

func (n *billedNames) readTasks(ctx context.Context, c Conn, where string, args []any) error {
	return stream(ctx, c, `SELECT t.id, t.number, t.title FROM tasks t `+where, args,
		func(r Row) (struct{}, error) {
			var t billedTask
			err := r.Scan(&t.id, &t.number, &t.title)
			n.tasks[t.id] = &t
			return struct{}{}, err
		}, none)
}

func (n *billedNames) readResources(ctx context.Context, c Conn, where string, args []any) error {
	return stream(ctx, c, `SELECT id, first_name || ' ' || last_name FROM resources`+where, args,
		func(r Row) (struct{}, error) {
			var id int64
			var name string
			err := r.Scan(&id, &name)
			n.resources[id] = &name
			return struct{}{}, err
		}, none)
}

// and is w with one more condition, leaving w as it is.
func and(w where, cond string, args ...any) where {
	out := where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
	out.add(cond, args...)
	return out
}

// none is stream's each for scans that keep what they read themselves.
func none(struct{}) error { return nil }
