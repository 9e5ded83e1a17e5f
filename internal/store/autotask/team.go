package autotask

import (
	"cmp"
	"context"
	"database/sql"
	"maps"
	"slices"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// Autotask has no project team entity and no order of phases and tasks
// (docs/autotask.md §13), so the copy derives both from what it holds,
// for the projects a pass touched:
//
//   - the team: the project lead ("Project Lead"), the task assignees and
//     the tasks' secondary resources (their title as role), and the
//     contacts of the Portal Team Contacts UDF ("Client contact": Autotask
//     keeps no role for them);
//   - positions: each level of a schedule (the project, or a parent phase)
//     numbered from 1, its phases first, then its tasks, each in id order.
func (p *pass) rebuildTeams(ctx context.Context) error {
	var projects []int64
	if p.touchAll {
		if err := p.y.db.IDs(ctx, "projects", "", nil, func(id int64) error { projects = append(projects, id); return nil }); err != nil {
			return err
		}
	} else {
		projects = slices.Sorted(maps.Keys(p.touched))
	}
	for chunk := range slices.Chunk(projects, batchSize) {
		err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
			rows, err := p.team(m, chunk)
			if err != nil {
				return err
			}
			if err := m.ReplaceTeams(chunk, rows); err != nil {
				return err
			}
			return renumber(m, chunk)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// team computes the team rows of projects from the copy; the contacts come
// from the UDF when this pass read the project, else from its current rows.
func (p *pass) team(m *sqlstore.MirrorTx, projects []int64) ([]dataset.TeamMember, error) {
	in, args := inList(projects)
	type member struct {
		project, resource int64
		role              string
		lead              bool
	}
	var rs []member
	scan := func(lead bool) func(r sqlstore.Row) error {
		return func(r sqlstore.Row) error {
			var x member
			x.lead = lead
			err := r.Scan(&x.project, &x.resource, &x.role)
			rs = append(rs, x)
			return err
		}
	}
	queries := []struct {
		lead bool
		q    string
	}{
		{true, `SELECT p.id, r.id, 'Project Lead' FROM projects p JOIN resources r ON r.id = p.lead_resource_id WHERE p.id IN ` + in},
		{false, `SELECT DISTINCT t.project_id, r.id, r.title FROM tasks t JOIN resources r ON r.id = t.assigned_resource_id
			WHERE t.project_id IN ` + in},
		{false, `SELECT DISTINCT t.project_id, r.id, r.title FROM autotask_secondary_resources s JOIN tasks t ON t.id = s.task_id
			JOIN resources r ON r.id = s.resource_id WHERE t.project_id IN ` + in},
	}
	for _, q := range queries {
		if err := m.Query(q.q, args, scan(q.lead)); err != nil {
			return nil, err
		}
	}
	// The lead's row comes first, so a lead who is also an assignee keeps
	// the role Project Lead.
	slices.SortStableFunc(rs, func(a, b member) int { return cmp.Compare(a.project, b.project) })
	var out []dataset.TeamMember
	seen := map[[2]int64]bool{}
	for _, x := range rs {
		if seen[[2]int64{x.project, x.resource}] {
			continue
		}
		seen[[2]int64{x.project, x.resource}] = true
		id := x.resource
		out = append(out, dataset.TeamMember{ProjectID: x.project, ResourceID: &id, Role: x.role})
	}
	contacts, err := p.teamContacts(m, projects, in, args)
	if err != nil {
		return nil, err
	}
	return append(out, contacts...), nil
}

func (p *pass) teamContacts(m *sqlstore.MirrorTx, projects []int64, in string, args []any) ([]dataset.TeamMember, error) {
	byProject := map[int64][]int64{}
	err := m.Query(`SELECT project_id, contact_id FROM team WHERE contact_id IS NOT NULL AND project_id IN `+in, args,
		func(r sqlstore.Row) error {
			var pid, cid int64
			err := r.Scan(&pid, &cid)
			byProject[pid] = append(byProject[pid], cid)
			return err
		})
	if err != nil {
		return nil, err
	}
	var want []int64
	for _, pid := range projects {
		if ids, ok := p.pulled[pid]; ok {
			byProject[pid] = ids
		}
		want = append(want, byProject[pid]...)
	}
	exists, err := m.Existing("contacts", want)
	if err != nil {
		return nil, err
	}
	var out []dataset.TeamMember
	for _, pid := range projects {
		seen := map[int64]bool{}
		for _, cid := range byProject[pid] {
			if exists[cid] && !seen[cid] {
				seen[cid] = true
				id := cid
				out = append(out, dataset.TeamMember{ProjectID: pid, ContactID: &id, Role: "Client contact"})
			}
		}
	}
	return out, nil
}

// renumber sets the schedule positions of the projects' phases and tasks.
func renumber(m *sqlstore.MirrorTx, projects []int64) error {
	in, args := inList(projects)
	type node struct {
		id, project int64
		parent      sql.NullInt64
		pos         int
	}
	read := func(q string) ([]node, error) {
		var out []node
		err := m.Query(q, args, func(r sqlstore.Row) error {
			var n node
			err := r.Scan(&n.id, &n.project, &n.parent, &n.pos)
			out = append(out, n)
			return err
		})
		return out, err
	}
	phases, err := read(`SELECT id, project_id, parent_phase_id, position FROM phases WHERE project_id IN ` + in + ` ORDER BY id`)
	if err != nil {
		return err
	}
	tasks, err := read(`SELECT id, project_id, phase_id, position FROM tasks WHERE project_id IN ` + in + ` ORDER BY id`)
	if err != nil {
		return err
	}
	counts := map[[2]int64]int{} // (project, parent phase or 0) → last position
	for _, set := range []struct {
		table string
		nodes []node
	}{{"phases", phases}, {"tasks", tasks}} {
		for _, n := range set.nodes {
			k := [2]int64{n.project, n.parent.Int64}
			counts[k]++
			if counts[k] != n.pos {
				if err := m.Exec(`UPDATE `+set.table+` SET position = ? WHERE id = ?`, counts[k], n.id); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// inList is "(?,?,…)" for ids and its arguments.
func inList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + placeholders(len(ids)) + ")", args
}
