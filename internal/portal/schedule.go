package portal

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// buildSchedule nests phases and tasks and numbers them. Within the project
// and within each phase, children are ordered by position (phases before
// tasks on a tie, then id); the outline number of a child is its parent's
// number plus its 1-based place in that order. Tasks whose phase is unknown
// sit at project level.
func buildSchedule(phases []store.Phase, tasks []store.ScheduleTask) []api.ScheduleItem {
	type node struct {
		item     api.ScheduleItem
		position int
		parent   int64 // phase id, 0 = project level
		phase    bool
	}
	known := map[int64]bool{}
	for _, ph := range phases {
		known[ph.ID] = true
	}
	children := map[int64][]node{}
	for _, ph := range phases {
		parent := int64(0)
		if ph.ParentPhaseID != nil && known[*ph.ParentPhaseID] {
			parent = *ph.ParentPhaseID
		}
		children[parent] = append(children[parent], node{phase: true, position: ph.Position, parent: parent,
			item: api.ScheduleItem{Kind: "phase", ID: ph.ID, Title: ph.Title, StartDate: ph.StartDate, DueDate: ph.DueDate}})
	}
	for _, t := range tasks {
		parent := int64(0)
		if t.PhaseID != nil && known[*t.PhaseID] {
			parent = *t.PhaseID
		}
		kind := "task"
		if t.IsIssue {
			kind = "issue"
		}
		number, status := t.Number, t.Status
		children[parent] = append(children[parent], node{position: t.Position, parent: parent,
			item: api.ScheduleItem{Kind: kind, ID: t.ID, Title: t.Title, Number: &number, Status: &status,
				StartDate: t.StartDate, DueDate: t.DueDate}})
	}
	var build func(parent int64, prefix string, depth int) []api.ScheduleItem
	build = func(parent int64, prefix string, depth int) []api.ScheduleItem {
		kids := children[parent]
		slices.SortStableFunc(kids, func(a, b node) int {
			if c := cmp.Compare(a.position, b.position); c != 0 {
				return c
			}
			if a.phase != b.phase {
				if a.phase {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.item.ID, b.item.ID)
		})
		out := make([]api.ScheduleItem, 0, len(kids))
		for i, k := range kids {
			it := k.item
			it.Outline = prefix + strconv.Itoa(i+1)
			it.Children = []api.ScheduleItem{}
			if k.phase && depth < 64 { // depth bound: import rejects cycles, this guards anyway
				it.Children = build(it.ID, it.Outline+".", depth+1)
			}
			out = append(out, it)
		}
		return out
	}
	return build(0, "", 0)
}
