package sqlstore

import (
	"context"
	"strings"
)

// importWriter writes records in batches through prepared statements, one
// loader per kind.
type importWriter struct {
	ctx     context.Context
	tx      Tx
	d       Dialect
	loaders map[string]*tableLoader
	last    *tableLoader // the kind written last
	indexes []string     // CREATE INDEX statements to run once the rows are in
	bulk    bool         // Dialect.BulkLoad ran
}

// tableLoader writes the rows of one kind: rowsPer rows per statement
// (fewer statements: most of an import's time is per statement), the
// rest one by one at the end.
type tableLoader struct {
	one, many Stmt
	rowsPer   int
	cols      int
	args      []any // rows not written yet, one after the other
}

// statementArgs bounds the arguments of one batch statement, well under
// SQLite's and PostgreSQL's limits on bound parameters.
const statementArgs = 1000

func (w *importWriter) exec(kind string, args ...any) error {
	l, err := w.loader(kind)
	if err != nil {
		return err
	}
	if w.last != l {
		// Keep the file's order across kinds: a child row written before
		// its parent makes SQLite search the child table for it (deferred
		// foreign keys), for every parent row.
		if err := w.flush(w.last); err != nil {
			return err
		}
		w.last = l
	}
	if l.many == nil {
		return l.one.Exec(w.ctx, args...)
	}
	l.args = append(l.args, args...)
	if len(l.args) < l.rowsPer*l.cols {
		return nil
	}
	err = l.many.Exec(w.ctx, l.args...)
	l.args = l.args[:0]
	return err
}

// loader prepares a kind's statements at its first record. Kinds keyed by
// id (or security-level name) have unique keys in a valid file, so they go
// in batches, and into an empty table as plain INSERTs with the table's
// secondary indexes built afterwards. Team rows, whose key a file may
// repeat, are upserted one at a time.
func (w *importWriter) loader(kind string) (*tableLoader, error) {
	if l, ok := w.loaders[kind]; ok {
		return l, nil
	}
	u := upserts[kind]
	l := &tableLoader{rowsPer: 1, cols: strings.Count(u.cols, ",") + 1}
	plain := false
	if u.conflict == "(id)" || u.conflict == "(name)" {
		l.rowsPer = max(1, statementArgs/l.cols)
		var err error
		if plain, err = w.emptyTable(u.table); err != nil {
			return nil, err
		}
		if plain {
			if err := w.dropIndexes(u.table); err != nil {
				return nil, err
			}
		}
	}
	var err error
	if l.one, err = w.tx.Prepare(w.ctx, u.sql(1, plain)); err != nil {
		return nil, err
	}
	w.loaders[kind] = l
	if l.rowsPer > 1 {
		if l.many, err = w.tx.Prepare(w.ctx, u.sql(l.rowsPer, plain)); err != nil {
			return nil, err
		}
		l.args = make([]any, 0, l.rowsPer*l.cols)
	}
	return l, nil
}

func (w *importWriter) emptyTable(table string) (bool, error) {
	var empty bool
	err := w.tx.QueryRow(w.ctx, "SELECT NOT EXISTS (SELECT 1 FROM "+table+")").Scan(&empty)
	return empty, err
}

// dropIndexes drops the table's secondary indexes for finish to build
// again; the transaction keeps this invisible to everyone else.
func (w *importWriter) dropIndexes(table string) error {
	if w.d.IndexesOf == "" {
		return nil
	}
	rows, err := w.tx.Query(w.ctx, w.d.IndexesOf, table)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return err
		}
		names = append(names, name)
		w.indexes = append(w.indexes, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(names) > 0 && !w.bulk {
		w.bulk = true
		for _, q := range w.d.BulkLoad {
			if _, err := w.tx.Exec(w.ctx, q); err != nil {
				return err
			}
		}
	}
	for _, name := range names {
		if _, err := w.tx.Exec(w.ctx, "DROP INDEX "+name); err != nil {
			return err
		}
	}
	return nil
}

// flush writes the rows l still holds, one by one.
func (w *importWriter) flush(l *tableLoader) error {
	if l == nil {
		return nil
	}
	for rest := l.args; len(rest) > 0; rest = rest[l.cols:] {
		if err := l.one.Exec(w.ctx, rest[:l.cols]...); err != nil {
			return err
		}
	}
	l.args = l.args[:0]
	return nil
}

// finish writes the rows still pending and builds the dropped indexes.
func (w *importWriter) finish() error {
	if err := w.flush(w.last); err != nil {
		return err
	}
	for _, create := range w.indexes {
		if _, err := w.tx.Exec(w.ctx, create); err != nil {
			return err
		}
	}
	return nil
}

func (w *importWriter) close() {
	for _, l := range w.loaders {
		l.one.Close()
		if l.many != nil {
			l.many.Close()
		}
	}
}
