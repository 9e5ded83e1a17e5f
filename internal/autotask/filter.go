package autotask

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// Eq matches records whose field equals v.
func Eq(field string, v any) Filter { return leaf("eq", field, v) }

// NotEq matches records whose field differs from v.
func NotEq(field string, v any) Filter { return leaf("noteq", field, v) }

// Gt matches records whose field is greater than v.
func Gt(field string, v any) Filter { return leaf("gt", field, v) }

// Gte matches records whose field is greater than or equal to v.
func Gte(field string, v any) Filter { return leaf("gte", field, v) }

// Lt matches records whose field is less than v.
func Lt(field string, v any) Filter { return leaf("lt", field, v) }

// Lte matches records whose field is less than or equal to v.
func Lte(field string, v any) Filter { return leaf("lte", field, v) }

// Contains matches records whose text field contains s.
func Contains(field, s string) Filter { return leaf("contains", field, s) }

// BeginsWith matches records whose text field begins with s.
func BeginsWith(field, s string) Filter { return leaf("beginsWith", field, s) }

// EndsWith matches records whose text field ends with s.
func EndsWith(field, s string) Filter { return leaf("endsWith", field, s) }

// In matches records whose field is one of vs, a slice (Autotask takes at
// most 500 values; callers split longer lists).
func In(field string, vs any) Filter { return leaf("in", field, vs) }

// NotIn matches records whose field is none of vs.
func NotIn(field string, vs any) Filter { return leaf("notIn", field, vs) }

// Exist matches records whose field has a value.
func Exist(field string) Filter { return Filter{Op: "exist", Field: field} }

// NotExist matches records whose field is empty (null).
func NotExist(field string) Filter { return Filter{Op: "notExist", Field: field} }

// And matches records that every filter matches.
func And(fs ...Filter) Filter { return Filter{Op: "and", Items: fs} }

// Or matches records that at least one filter matches.
func Or(fs ...Filter) Filter { return Filter{Op: "or", Items: fs} }

// AsUDF marks the filter's field as a user-defined field (by its name).
func (f Filter) AsUDF() Filter {
	f.UDF = true
	return f
}

func leaf(op, field string, v any) Filter { return Filter{Op: op, Field: field, Value: v} }

// MarshalJSON writes the shape Autotask expects. It exists because the
// struct tags alone would drop a zero value ("value":0 or false is a
// real filter) and would write "value" for exist/notExist, which take none.
func (f Filter) MarshalJSON() ([]byte, error) {
	if f.Op == "and" || f.Op == "or" {
		items := f.Items
		if items == nil {
			items = []Filter{}
		}
		return json.Marshal(struct {
			Op    string   `json:"op"`
			Items []Filter `json:"items"`
		}{f.Op, items})
	}
	type withValue struct {
		Op    string `json:"op"`
		Field string `json:"field"`
		Value any    `json:"value"`
		UDF   bool   `json:"udf,omitempty"`
	}
	type withoutValue struct {
		Op    string `json:"op"`
		Field string `json:"field"`
		UDF   bool   `json:"udf,omitempty"`
	}
	if f.Op == "exist" || f.Op == "notExist" {
		return json.Marshal(withoutValue{f.Op, f.Field, f.UDF})
	}
	value := f.Value
	if t, ok := value.(time.Time); ok {
		value = t.UTC().Format(time.RFC3339) // the form Autotask filters accept
	}
	return json.Marshal(withValue{f.Op, f.Field, value, f.UDF})
}

// maxInValues is the most values Autotask takes in one in/notIn filter,
// and maxOrConditions the most OR conditions of one query, each value of
// an in list counting as one (docs/autotask.md §3).
const (
	maxInValues     = 500
	maxOrConditions = 500
)

// checkFilters refuses, before any call, a query Autotask would reject for
// its size, so the caller learns to split it into several queries.
func checkFilters(entity string, fs []Filter) error {
	if err := checkInLists(entity, fs); err != nil {
		return err
	}
	if n := orConditions(fs); n > maxOrConditions {
		return fmt.Errorf("autotask: the %s query has %d OR conditions; Autotask takes at most %d, split it into several queries",
			entity, n, maxOrConditions)
	}
	return nil
}

func checkInLists(entity string, fs []Filter) error {
	for _, f := range fs {
		if f.Op == "in" || f.Op == "notIn" {
			if v := reflect.ValueOf(f.Value); v.Kind() == reflect.Slice && v.Len() > maxInValues {
				return fmt.Errorf("autotask: the %s filter on %s.%s has %d values; Autotask takes at most %d, split the list",
					f.Op, entity, f.Field, v.Len(), maxInValues)
			}
		}
		if err := checkInLists(entity, f.Items); err != nil {
			return err
		}
	}
	return nil
}

// orConditions counts the OR conditions of filters: each value of an in
// list and each branch of an or group.
func orConditions(fs []Filter) int {
	n := 0
	for _, f := range fs {
		switch f.Op {
		case "in", "notIn":
			if v := reflect.ValueOf(f.Value); v.Kind() == reflect.Slice {
				n += v.Len()
			}
		case "or":
			n += len(f.Items)
		}
		n += orConditions(f.Items)
	}
	return n
}
