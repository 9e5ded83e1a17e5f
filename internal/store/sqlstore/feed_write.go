package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// feedWriter keeps the billing feed (docs/billed-hours.md) inside one
// write transaction. The transaction locks the feed's row from its start,
// so writers take positions one after the other and commit in that order;
// its changes all get position last+1, written back at the end only when
// something changed (an import that changes nothing leaves the feed as it
// was). Before an item's exported view changes for the first time in the
// transaction, its version as the feed last showed it (with the billing
// organization and client it had) goes to billing_item_history.
type feedWriter struct {
	ctx  context.Context
	tx   Tx
	last int64 // the feed's position when the transaction began
	used bool  // something changed: position last+1 is taken
}

func newFeedWriter(ctx context.Context, tx Tx, d Dialect) (*feedWriter, error) {
	f := &feedWriter{ctx: ctx, tx: tx}
	err := tx.QueryRow(ctx, `SELECT position FROM billing_feed WHERE id = 1`+d.RowLock).Scan(&f.last)
	return f, err
}

// pos is the position of this transaction's changes.
func (f *feedWriter) pos() int64 { return f.last + 1 }

// finish records the position taken, if any.
func (f *feedWriter) finish() error {
	if !f.used {
		return nil
	}
	_, err := f.tx.Exec(f.ctx, `UPDATE billing_feed SET position = ? WHERE id = 1`, f.pos())
	return err
}

// touch keeps the before-image of the billing items whose col is one of
// vals and that this transaction has not changed yet, and moves them to
// its position: their view is about to change (or their scope has).
func (f *feedWriter) touch(col string, vals []any) error {
	if len(vals) == 0 {
		return nil
	}
	in := placeholders(len(vals))
	args := append(append([]any{f.pos()}, vals...), f.pos())
	n, err := f.tx.Exec(f.ctx, `INSERT INTO billing_item_history (item_id, project_id, task_id, resource_id,
		contract_id, worked_date, hours_worked, hours_billed, rate, amount, description, billed_at, billing_org_id, client_id,
		position, superseded_at)
		SELECT b.id, b.project_id, b.task_id, b.resource_id, b.contract_id, b.worked_date, b.hours_worked,
			b.hours_billed, b.rate, b.amount, b.description, b.billed_at, CASE WHEN p.type = 'client' THEN k.billing_organization_id END,
			p.organization_id, b.position, CAST(? AS BIGINT)
		FROM billing_items b JOIN contracts k ON k.id = b.contract_id JOIN projects p ON p.id = b.project_id
		WHERE b.`+col+` IN (`+in+`) AND b.position < ?`, args...)
	if err != nil || n == 0 {
		return err
	}
	f.used = true
	_, err = f.tx.Exec(f.ctx, `UPDATE billing_items SET position = ? WHERE `+col+` IN (`+in+`) AND position < ?`, args...)
	return err
}

// remove deletes a billing item, recording the removal.
func (f *feedWriter) remove(id int64) error {
	if err := f.touch("id", []any{id}); err != nil {
		return err
	}
	n, err := f.tx.Exec(f.ctx, `DELETE FROM billing_items WHERE id = ?`, id)
	if n > 0 {
		f.used = true
	}
	return err
}

// itemVersion is what the feed compares of a billing item: everything the
// export shows of it but names.
type itemVersion struct {
	projectID, contractID, hoursWorked, hoursBilled int64
	taskID, resourceID, rate, amount                sql.NullInt64
	workedDate, description, billedAt               string
}

// versionOfArgs reads an item from its upserts["billing_items"] arguments.
func versionOfArgs(row []any) itemVersion {
	str := func(v any) string { s, _ := v.(string); return s }
	return itemVersion{projectID: row[1].(int64), taskID: nullOf(row[2]), resourceID: nullOf(row[3]),
		contractID: row[4].(int64), workedDate: str(row[5]), hoursWorked: row[6].(int64), hoursBilled: row[7].(int64),
		rate: nullOf(row[8]), amount: nullOf(row[9]), description: str(row[10]), billedAt: str(row[11])}
}

func nullOf(v any) sql.NullInt64 {
	n, ok := v.(int64)
	return sql.NullInt64{Int64: n, Valid: ok}
}

// changedItems is the feed's part of writing a batch of billing items
// (upserts["billing_items"] rows, position last): it drops the rows that
// would change nothing, keeps the before-images of the items the others
// change, and gives those rows this transaction's position. fresh says
// the table was empty (nothing to compare).
func (f *feedWriter) changedItems(args []any, cols int, fresh bool) ([]any, error) {
	n := len(args) / cols
	if n == 0 {
		return args, nil
	}
	type stored struct {
		v        itemVersion
		position int64
	}
	old := map[int64]stored{}
	if !fresh {
		ids := make([]any, n)
		for i := range n {
			ids[i] = args[i*cols]
		}
		err := stream(f.ctx, f.tx, `SELECT id, project_id, task_id, resource_id, contract_id, worked_date, hours_worked,
			hours_billed, rate, amount, description, billed_at, position FROM billing_items WHERE id IN (`+placeholders(n)+`)`, ids,
			func(r Row) (struct{}, error) {
				var id int64
				var s stored
				var d nullDate
				var t nullTime
				err := r.Scan(&id, &s.v.projectID, &s.v.taskID, &s.v.resourceID, &s.v.contractID, &d, &s.v.hoursWorked,
					&s.v.hoursBilled, &s.v.rate, &s.v.amount, &s.v.description, &t, &s.position)
				s.v.workedDate = string(d.value())
				if t.t != nil {
					s.v.billedAt = ts(*t.t)
				}
				old[id] = s
				return struct{}{}, err
			}, none)
		if err != nil {
			return nil, err
		}
	}
	out := args[:0]
	var touched []any
	for i := range n {
		row := args[i*cols : (i+1)*cols]
		if s, ok := old[row[0].(int64)]; ok {
			if s.v == versionOfArgs(row) {
				continue
			}
			if s.position < f.pos() {
				touched = append(touched, row[0])
			}
		}
		row[cols-1] = f.pos()
		out = append(out, row...)
	}
	if len(out) > 0 {
		f.used = true
	}
	return out, f.touch("id", touched)
}

// changedScopes is the feed's part of writing contracts or projects: the
// items of a contract whose billing organization changes, or of a project
// whose organization or type changes, move to other exports (or out of
// all), so they are touched before the write. cols are the kind's upsert
// columns; key the compared ones.
func (f *feedWriter) changedScopes(table, itemCol string, args []any, cols int, key []int) error {
	n := len(args) / cols
	ids := make([]any, n)
	for i := range n {
		ids[i] = args[i*cols]
	}
	names := make([]string, len(key))
	for i, k := range key {
		names[i] = strings.Split(upserts[table].cols, ", ")[k]
	}
	old := map[int64][]any{}
	err := stream(f.ctx, f.tx, `SELECT id, `+strings.Join(names, ", ")+` FROM `+table+` WHERE id IN (`+placeholders(n)+`)`, ids,
		func(r Row) (struct{}, error) {
			var id int64
			vals := make([]sql.NullString, len(key))
			dest := []any{&id}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			err := r.Scan(dest...)
			old[id] = make([]any, len(key))
			for i, v := range vals {
				if v.Valid {
					old[id][i] = v.String
				}
			}
			return struct{}{}, err
		}, none)
	if err != nil {
		return err
	}
	var changed []any
	for i := range n {
		row := args[i*cols : (i+1)*cols]
		prev, ok := old[row[0].(int64)]
		if !ok {
			continue // new: no item can be on it yet
		}
		for j, k := range key {
			if !sameText(prev[j], row[k]) {
				changed = append(changed, row[0])
				break
			}
		}
	}
	return f.touch(itemCol, changed)
}

// sameText compares a column read as text (nil for NULL) with the value an
// upsert writes (nil, an int64 or a string).
func sameText(stored, written any) bool {
	switch w := written.(type) {
	case nil:
		return stored == nil
	case int64:
		s, ok := stored.(string)
		return ok && s == strconv.FormatInt(w, 10)
	case string:
		s, ok := stored.(string)
		return ok && s == w
	}
	return false
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
