package atstore

import (
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/autotask"
)

// picklist maps one picklist field between Autotask's value ids and the
// portal's enum names. Ids are the customer's own (they differ between
// Autotask databases), so the mapping is by label: lower case, spaces as
// underscores ("Waiting Customer" → waiting_customer).
type picklist struct {
	byID   map[int64]string
	byName map[string]int64
	labels map[int64]string // as Autotask spells them (queue names)
}

func enumName(label string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(label)), " ", "_")
}

// picklists are the picklist fields of one entity, by field name (lower case).
type picklists map[string]picklist

func newPicklists(fields []autotask.Field) picklists {
	out := picklists{}
	for _, f := range fields {
		if !f.IsPickList {
			continue
		}
		p := picklist{byID: map[int64]string{}, byName: map[string]int64{}, labels: map[int64]string{}}
		for _, v := range f.PicklistValues {
			id, err := strconv.ParseInt(v.Value, 10, 64)
			if err != nil {
				continue
			}
			name := enumName(v.Label)
			p.byID[id], p.labels[id] = name, strings.TrimSpace(v.Label)
			if _, dup := p.byName[name]; !dup {
				p.byName[name] = id
			}
		}
		out[strings.ToLower(f.Name)] = p
	}
	return out
}

// name is the enum name of a value id ("" when unknown).
func (p picklists) name(field string, id pickID) string {
	return p[strings.ToLower(field)].byID[int64(id)]
}

// label is the label of a value id as Autotask spells it ("" when unknown).
func (p picklists) label(field string, id pickID) string {
	return p[strings.ToLower(field)].labels[int64(id)]
}

// id is the value id of an enum name, and whether the picklist has it.
func (p picklists) id(field, name string) (int64, bool) {
	id, ok := p[strings.ToLower(field)].byName[name]
	return id, ok
}
