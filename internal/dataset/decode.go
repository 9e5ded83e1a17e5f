package dataset

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

var (
	typeTime    = reflect.TypeFor[time.Time]()
	typeDecimal = reflect.TypeFor[api.Decimal]()
	typeBytes   = reflect.TypeFor[[]byte]()
)

// decodeRecord decodes one record, reporting unknown fields, missing
// required fields and wrong types with their paths. It returns nil only
// when the record is not an object; a record with problems is still
// returned (as far as it decoded) so that its ids register and its other
// fields are checked too: nothing is written once any problem is found.
func decodeRecord(kind string, index int, raw json.RawMessage, ps *Problems) any {
	sp := specs[kind]
	var fields map[string]present // which keys are there; values are not copied
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		ps.add(kind, index, "", "must be an object")
		return nil
	}
	for _, name := range sortedKeys(fields) {
		if _, known := sp.fields[name]; !known || name == "password_hash" && kind != "contacts" {
			ps.add(kind, index, name, "unknown field")
		}
	}
	for _, name := range sp.required {
		if !fields[name] { // absent or null
			ps.add(kind, index, name, "required")
		}
	}
	rec := sp.new()
	if err := json.Unmarshal(raw, rec); err == nil {
		return rec
	}
	// Decode field by field to report every wrong type, not only the first.
	var values map[string]json.RawMessage
	if err := json.Unmarshal(raw, &values); err != nil {
		ps.add(kind, index, "", "must be an object")
		return nil
	}
	v := reflect.ValueOf(rec).Elem()
	for _, name := range sortedKeys(values) {
		i, known := sp.fields[name]
		if !known {
			continue
		}
		f := v.Field(i)
		if err := json.Unmarshal(values[name], f.Addr().Interface()); err != nil {
			ps.add(kind, index, name, "%s", typeMessage(f.Type(), err))
		}
	}
	return rec
}

// decodeValid decodes a record that pass 1 already found well-formed:
// straight into its type, without the field-by-field checks.
// A file that changed on disk between the passes is an error, never a
// partial import: the writer's transaction rolls back.
func decodeValid(kind string, raw json.RawMessage) (any, error) {
	rec := specs[kind].new()
	if err := json.Unmarshal(raw, rec); err != nil {
		return nil, fmt.Errorf("the file changed while it was being imported (%s: %v); nothing was written", kind, err)
	}
	return rec, nil
}

// typeMessage says what a field must be, in the data format's words.
func typeMessage(t reflect.Type, err error) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var b64 base64.CorruptInputError
	switch {
	case t == typeDecimal:
		return "must be a number with at most 2 decimals (" + err.Error() + ")"
	case t == typeTime:
		return "must be an RFC 3339 timestamp with an offset, like 2026-01-05T15:00:00Z"
	case t == typeBytes && errors.As(err, &b64):
		return "invalid base64"
	case t == typeBytes:
		return "must be a base64 string"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "must be an integer"
	case reflect.Bool:
		return "must be true or false"
	case reflect.String:
		return "must be a string"
	case reflect.Slice:
		return "must be a list of strings"
	}
	return err.Error()
}

// present records that a key is in a record with a non-null value, without
// copying the value (decoding the record's keys is on the import's hot path).
type present bool

func (p *present) UnmarshalJSON(b []byte) error {
	*p = present(string(b) != "null")
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortStrings(s []string) { sort.Strings(s) }

// lower is the case-folding used for usernames.
func lower(s string) string { return strings.ToLower(s) }
