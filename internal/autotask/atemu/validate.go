package atemu

import (
	"fmt"
	"math"
	"strings"
)

// clean checks a write body field by field: every unknown field, wrong
// type and unknown picklist value is a problem; read-only fields are
// ignored. Field names are matched case-insensitively.
func clean(e *entity, body map[string]any) (map[string]any, []string) {
	out := map[string]any{}
	var problems []string
	for k, v := range body {
		if strings.EqualFold(k, "userDefinedFields") {
			udfs, err := cleanUDFs(e, v)
			if err != nil {
				problems = append(problems, err.Error())
			}
			out["userDefinedFields"] = udfs
			continue
		}
		f := e.field(k)
		switch {
		case f == nil:
			problems = append(problems, fmt.Sprintf("Unable to find %s in the %s entity.", k, e.name))
		case f.readOnly:
		case !fits(f, v) && f.picks != nil:
			problems = append(problems, fmt.Sprintf("Value does not reference an existing entity for %s . ", f.name))
		case !fits(f, v):
			problems = append(problems, fmt.Sprintf("The value %v is not valid for %s (%s).", v, f.name, f.typ))
		default:
			out[f.name] = v
		}
	}
	return out, problems
}

func cleanUDFs(e *entity, v any) ([]any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("userDefinedFields must be a list of {name, value}")
	}
	var out []any
	for _, item := range list {
		m, ok := item.(map[string]any)
		name, _ := m["name"].(string)
		if !ok || !e.hasUDF(name) {
			return nil, fmt.Errorf("unable to find the user-defined field %v on %s", m["name"], e.name)
		}
		val := m["value"]
		if val != nil {
			val = text(val) // UDF values travel as text
		}
		out = append(out, map[string]any{"name": name, "value": val})
	}
	return out, nil
}

func fits(f *field, v any) bool {
	if v == nil {
		return true
	}
	switch f.typ {
	case tInt, tLong:
		n, ok := v.(float64)
		if !ok || n != math.Trunc(n) {
			return false
		}
		if f.picks != nil {
			for _, p := range f.picks {
				if float64(p.id) == n {
					return true
				}
			}
			return false
		}
		return true
	case tDec:
		_, ok := v.(float64)
		return ok
	case tBool:
		_, ok := v.(bool)
		return ok
	case tTime:
		_, ok := instant(v)
		return ok
	}
	_, ok := v.(string)
	return ok
}

// missing words a missing required field; for a picklist as Autotask
// words it (testdata/real/error_required_picklist.json).
func missing(e *entity, f *field) string {
	if f.picks != nil {
		return fmt.Sprintf("Value does not reference an existing entity for %s . ", f.name)
	}
	return fmt.Sprintf("%s is required on %s.", f.name, e.name)
}

func unique(msgs []string) []string {
	seen := map[string]bool{}
	out := msgs[:0:0]
	for _, m := range msgs {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

func blank(v any) bool { return v == nil || v == "" }
