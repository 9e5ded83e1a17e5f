package output

import (
	"fmt"
	"strings"
)

// Column is one field of a resource: Key is the API's JSON key (and the name
// --columns takes), Header the table label, Get the typed accessor. Generic
// accessors mean no reflection runs per row; they take the record by
// pointer so that a row of many columns is not copied once per column.
type Column[T any] struct {
	Key    string
	Header string
	Get    func(*T) Value
	// Shown marks the columns a table (and TSV) shows when --columns is not
	// given; CSV and JSON carry every column by default.
	Shown bool
}

// Model is the row model of one resource (doctl's Displayable idea): one
// column set feeds every format.
type Model[T any] struct {
	Columns []Column[T]
}

// NewModel builds a model from columns in display order.
func NewModel[T any](cols ...Column[T]) *Model[T] { return &Model[T]{Columns: cols} }

// Shown is a column a table shows by default.
func Shown[T any](key, header string, get func(*T) Value) Column[T] {
	return Column[T]{Key: key, Header: header, Get: get, Shown: true}
}

// Extra is a column shown only when asked for with --columns (and always
// present in CSV and JSON).
func Extra[T any](key, header string, get func(*T) Value) Column[T] {
	return Column[T]{Key: key, Header: header, Get: get}
}

// Adapt reuses columns of T for a type U that contains a T (an
// EndClientProject contains a Project).
func Adapt[T, U any](cols []Column[T], part func(*U) *T) []Column[U] {
	out := make([]Column[U], len(cols))
	for i, c := range cols {
		get := c.Get
		out[i] = Column[U]{Key: c.Key, Header: c.Header, Shown: c.Shown,
			Get: func(u *U) Value { return get(part(u)) }}
	}
	return out
}

// Keys lists every column key, in model order (for help and completion).
func (m *Model[T]) Keys() []string {
	keys := make([]string, len(m.Columns))
	for i, c := range m.Columns {
		keys[i] = c.Key
	}
	return keys
}

// selectColumns returns the requested columns in the requested order, or
// the format's default set when none were requested.
func (m *Model[T]) selectColumns(requested []string, shownOnly bool) ([]Column[T], error) {
	if len(requested) == 0 {
		var out []Column[T]
		for _, c := range m.Columns {
			if c.Shown || !shownOnly {
				out = append(out, c)
			}
		}
		return out, nil
	}
	seen := make(map[string]bool, len(requested))
	var out []Column[T]
	for _, name := range requested {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if seen[name] {
			return nil, usageErrorf("column %q is given twice in --columns", name)
		}
		seen[name] = true
		c, ok := m.column(name)
		if !ok {
			return nil, usageErrorf("unknown column %q for --columns; valid columns: %s",
				name, strings.Join(m.Keys(), ", "))
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, usageErrorf("--columns is empty; valid columns: %s", strings.Join(m.Keys(), ", "))
	}
	return out, nil
}

func (m *Model[T]) column(key string) (Column[T], bool) {
	for _, c := range m.Columns {
		if c.Key == key {
			return c, true
		}
	}
	return Column[T]{}, false
}

// UsageError is a mistake in the output flags (--output, --columns, --jq).
// The CLI maps it to exit code 2 (usage error).
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}
