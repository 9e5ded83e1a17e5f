package atemu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cond is one filter item as the client sends it: a leaf (op, field,
// value, udf) or an and/or group (op, items).
type cond struct {
	Op    string `json:"op"`
	Field string `json:"field"`
	Value any    `json:"value"`
	UDF   bool   `json:"udf"`
	Items []cond `json:"items"`

	typ string // the field's data type, set by check
}

const maxInValues = 500

var leafOps = map[string]bool{"eq": true, "noteq": true, "gt": true, "gte": true, "lt": true, "lte": true,
	"beginswith": true, "endswith": true, "contains": true, "exist": true, "notexist": true, "in": true, "notin": true}

// check validates a filter item against the entity, canonicalising its
// field name, as Autotask rejects unknown fields and operators with a 400.
func (c *cond) check(e *entity) error {
	op := strings.ToLower(c.Op)
	if op == "and" || op == "or" {
		if len(c.Items) == 0 {
			return fmt.Errorf("the %s group has no items", c.Op)
		}
		for i := range c.Items {
			if err := c.Items[i].check(e); err != nil {
				return err
			}
		}
		return nil
	}
	if !leafOps[op] {
		return fmt.Errorf("the filter operator %q is not valid", c.Op)
	}
	if c.UDF {
		if !e.hasUDF(c.Field) {
			return fmt.Errorf("unable to find the user-defined field %q on %s", c.Field, e.name)
		}
		c.typ = tStr
	} else {
		f := e.field(c.Field)
		if f == nil {
			return fmt.Errorf("unable to find %s in the %s entity", c.Field, e.name)
		}
		if f.noQuery {
			return fmt.Errorf("the field %s of %s cannot be queried", f.name, e.name)
		}
		c.Field, c.typ = f.name, f.typ
	}
	switch op {
	case "exist", "notexist":
	case "in", "notin":
		vs, ok := c.Value.([]any)
		if !ok {
			return fmt.Errorf("the %s operator on %s needs a list of values", c.Op, c.Field)
		}
		if len(vs) > maxInValues {
			return fmt.Errorf("the %s operator on %s takes at most %d values", c.Op, c.Field, maxInValues)
		}
	default:
		if c.Value == nil {
			return fmt.Errorf("the %s operator on %s needs a value", c.Op, c.Field)
		}
	}
	return nil
}

// udfFields appends the user-defined fields the item filters on.
func (c *cond) udfFields(seen []string) []string {
	if c.UDF && !slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, c.Field) }) {
		seen = append(seen, c.Field)
	}
	for i := range c.Items {
		seen = c.Items[i].udfFields(seen)
	}
	return seen
}

// orConditions counts the item's OR conditions: each value of an in list,
// and each branch of an or group (Autotask caps a query at 500).
func (c *cond) orConditions() int {
	n := 0
	switch strings.ToLower(c.Op) {
	case "in", "notin":
		if vs, ok := c.Value.([]any); ok {
			n += len(vs)
		}
	case "or":
		n += len(c.Items)
	}
	for i := range c.Items {
		n += c.Items[i].orConditions()
	}
	return n
}

// match says whether a record satisfies a checked filter item. A missing
// (null) value matches no comparison, not even noteq or notIn, as in the
// SQL Autotask runs the query on; only exist/notExist test for it.
func (c *cond) match(rec map[string]any) bool {
	op := strings.ToLower(c.Op)
	switch op {
	case "and":
		for i := range c.Items {
			if !c.Items[i].match(rec) {
				return false
			}
		}
		return true
	case "or":
		for i := range c.Items {
			if c.Items[i].match(rec) {
				return true
			}
		}
		return false
	}
	v := c.value(rec)
	if op == "exist" || op == "notexist" {
		return (v != nil) == (op == "exist") // SQL IS [NOT] NULL: "" exists
	}
	if v == nil {
		return false
	}
	switch op {
	case "in", "notin":
		found := false
		for _, want := range c.Value.([]any) {
			if cmp, ok := compare(c.typ, v, want); ok && cmp == 0 {
				found = true
				break
			}
		}
		return found == (op == "in")
	case "beginswith", "endswith", "contains":
		have, want := strings.ToLower(text(v)), strings.ToLower(text(c.Value))
		return op == "beginswith" && strings.HasPrefix(have, want) ||
			op == "endswith" && strings.HasSuffix(have, want) ||
			op == "contains" && strings.Contains(have, want)
	}
	cmp, ok := compare(c.typ, v, c.Value)
	if !ok {
		return false
	}
	switch op {
	case "eq":
		return cmp == 0
	case "noteq":
		return cmp != 0
	case "gt":
		return cmp > 0
	case "gte":
		return cmp >= 0
	case "lt":
		return cmp < 0
	default: // lte
		return cmp <= 0
	}
}

// value is the record's value of the item's field: a UDF's from
// userDefinedFields (names compared case-insensitively).
func (c *cond) value(rec map[string]any) any {
	if !c.UDF {
		return rec[c.Field]
	}
	udfs, _ := rec["userDefinedFields"].([]any)
	for _, u := range udfs {
		if m, ok := u.(map[string]any); ok && strings.EqualFold(text(m["name"]), c.Field) {
			return m["value"]
		}
	}
	return nil
}

// compare orders a record value against a filter value by the field's data
// type: numbers numerically (booleans as 1/0), datetimes as instants,
// booleans as booleans, text case-insensitively (Autotask's database
// collation). ok is false when the filter value does not fit the type.
func compare(typ string, have, want any) (int, bool) {
	switch typ {
	case tInt, tLong, tDec:
		a, ok1 := number(have)
		b, ok2 := number(want)
		return order(a, b), ok1 && ok2
	case tBool:
		a, ok1 := number(have)
		b, ok2 := number(want)
		return order(a, b), ok1 && ok2
	case tTime:
		a, ok1 := instant(have)
		b, ok2 := instant(want)
		return a.Compare(b), ok1 && ok2
	}
	return strings.Compare(strings.ToLower(text(have)), strings.ToLower(text(want))), true
}

func order(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		switch strings.ToLower(x) {
		case "true":
			return 1, true
		case "false":
			return 0, true
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return n, err == nil
	}
	return 0, false
}

// timeLayouts are the forms Autotask accepts for datetimes: with a zone,
// without one (UTC), with fractional seconds, and a bare date.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"}

func instant(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
