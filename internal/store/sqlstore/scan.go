package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// tsLayout is how timestamps travel as arguments: RFC 3339 UTC to the second,
// which SQLite stores as text that sorts as time and PostgreSQL parses.
const tsLayout = "2006-01-02T15:04:05Z"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func parseTS(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// scanTimeOrText hands a scanned timestamp or date to onTime (PostgreSQL's
// native types) or onText (SQLite's text); it reports a NULL.
func scanTimeOrText(v any, onTime func(time.Time), onText func(string)) (isNull bool, err error) {
	switch v := v.(type) {
	case nil:
		return true, nil
	case time.Time:
		onTime(v)
	case string:
		onText(v)
	case []byte:
		onText(string(v))
	default:
		return false, fmt.Errorf("cannot scan %T as a time or date", v)
	}
	return false, nil
}

// nullTime scans a timestamp kept as RFC 3339 text (SQLite) or as a native
// timestamp (PostgreSQL).
type nullTime struct{ t *time.Time }

func (n *nullTime) Scan(v any) error {
	var t time.Time
	isNull, err := scanTimeOrText(v, func(x time.Time) { t = x.UTC() }, func(s string) { t = parseTS(s) })
	n.t = nil
	if !isNull && err == nil {
		n.t = &t
	}
	return err
}

// value is the time, or the zero time when NULL.
func (n nullTime) value() time.Time {
	if n.t == nil {
		return time.Time{}
	}
	return *n.t
}

// nullDate scans a date kept as YYYY-MM-DD text (SQLite) or as a native date
// (PostgreSQL); it stays a string (api.Date is never converted to time).
type nullDate struct{ d *api.Date }

func (n *nullDate) Scan(v any) error {
	var d api.Date
	isNull, err := scanTimeOrText(v, func(x time.Time) { d = api.Date(x.Format("2006-01-02")) }, func(s string) { d = api.Date(s) })
	n.d = nil
	if !isNull && err == nil {
		n.d = &d
	}
	return err
}

func (n nullDate) value() api.Date {
	if n.d == nil {
		return ""
	}
	return *n.d
}

func nStr(ns sql.NullString) *string {
	if !ns.Valid {
		return nil
	}
	return &ns.String
}

func nInt(ni sql.NullInt64) *int64 {
	if !ni.Valid {
		return nil
	}
	return &ni.Int64
}

func nDec(ni sql.NullInt64) *api.Decimal {
	if !ni.Valid {
		return nil
	}
	d := api.Decimal(ni.Int64)
	return &d
}

func datePtr(d *api.Date) any {
	if d == nil {
		return nil
	}
	return string(*d)
}

func decPtr(d *api.Decimal) any {
	if d == nil {
		return nil
	}
	return int64(*d)
}

func intPtr(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// idOrNil is a reference where 0 means none.
func idOrNil(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// where collects SQL conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (?,?,…)"; an empty list matches nothing.
func (w *where) in(col string, ids []int64) {
	if len(ids) == 0 {
		w.add("FALSE")
		return
	}
	w.add(col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")")
	for _, id := range ids {
		w.args = append(w.args, id)
	}
}

// after adds the keyset condition for rows ordered by (valueCol, idCol) or
// by idCol alone when valueCol is "".
func (w *where) after(page store.Page, valueCol, idCol string) {
	if page.After == nil {
		return
	}
	if valueCol == "" {
		w.add(idCol+" > ?", page.After.ID)
		return
	}
	w.add("("+valueCol+", "+idCol+") > (?, ?)", page.After.Value, page.After.ID)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func limit(page store.Page) string {
	if page.Limit <= 0 {
		return ""
	}
	return " LIMIT " + strconv.Itoa(page.Limit)
}

// stream runs a query and calls each with every row scanned, in order,
// holding one row at a time.
func stream[T any](ctx context.Context, c Conn, query string, args []any, scan func(Row) (T, error), each func(T) error) error {
	rows, err := c.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		if err := each(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// list is stream into a slice (never nil).
func list[T any](ctx context.Context, c Conn, query string, args []any, scan func(Row) (T, error)) ([]T, error) {
	out := []T{}
	err := stream(ctx, c, query, args, scan, func(v T) error { out = append(out, v); return nil })
	return out, err
}
