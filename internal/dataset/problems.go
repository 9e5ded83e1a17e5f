package dataset

import (
	"fmt"
	"sort"
	"strings"
)

// maxProblems caps the report so a badly broken 1M-row file cannot exhaust
// memory; the count of the rest is still given.
const maxProblems = 1000

// Problem is one thing wrong with a data file, at a JSON path.
type Problem struct {
	Path    string // e.g. tasks[12].project_id
	Message string
	kind    int // index in Kinds, for ordering
	index   int
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// Problems is the error of an invalid data file: every problem found.
type Problems struct {
	List    []Problem
	Dropped int // problems beyond maxProblems, not listed
}

func (ps *Problems) Error() string {
	lines := make([]string, 0, len(ps.List)+1)
	for _, p := range ps.List {
		lines = append(lines, p.String())
	}
	if ps.Dropped > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more problems", ps.Dropped))
	}
	return strings.Join(lines, "\n")
}

func (ps *Problems) add(kind string, index int, field, format string, args ...any) {
	if len(ps.List) >= maxProblems {
		ps.Dropped++
		return
	}
	ps.List = append(ps.List, Problem{Path: path(kind, index, field), Message: fmt.Sprintf(format, args...),
		kind: kindIndex[kind], index: index})
}

func (ps *Problems) empty() bool { return len(ps.List) == 0 && ps.Dropped == 0 }

// sorted orders problems as they appear in a file written in Kinds order.
func (ps *Problems) sorted() *Problems {
	sort.SliceStable(ps.List, func(i, j int) bool {
		a, b := ps.List[i], ps.List[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.index < b.index
	})
	return ps
}

var kindIndex = func() map[string]int {
	m := map[string]int{}
	for i, k := range Kinds {
		m[k] = i
	}
	return m
}()

// path renders kind[index].field ("portal.field" for the portal object,
// "kind" alone for the whole array).
func path(kind string, index int, field string) string {
	p := kind
	if index >= 0 {
		p += fmt.Sprintf("[%d]", index)
	}
	if field != "" {
		p += "." + field
	}
	return p
}
