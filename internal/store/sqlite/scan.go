package sqlite

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// Timestamps are stored as RFC 3339 UTC with second precision so that text
// order is time order.
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

func nTime(ns sql.NullString) *time.Time {
	if !ns.Valid {
		return nil
	}
	t := parseTS(ns.String)
	return &t
}

func nDate(ns sql.NullString) *api.Date {
	if !ns.Valid {
		return nil
	}
	d := api.Date(ns.String)
	return &d
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

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
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
		w.add("0")
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
