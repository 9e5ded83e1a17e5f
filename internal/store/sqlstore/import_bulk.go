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
	feed    *feedWriter
	rows    int  // records written
	filled  bool // a table that was empty got rows
}

// tableLoader writes the rows of one kind: rowsPer rows per statement
// (fewer statements: most of an import's time is per statement).
type tableLoader struct {
	u       upsert
	plain   bool
	stmts   map[int]Stmt // by rows per statement, prepared when first needed
	rowsPer int
	cols    int
	args    []any // rows not written yet, one after the other
	// feed, for kinds the billing feed watches, sees each batch before it
	// is written and returns the rows to write.
	feed func(args []any) ([]any, error)
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
	w.rows++
	l.args = append(l.args, args...)
	if len(l.args) < l.rowsPer*l.cols {
		return nil
	}
	return w.flush(l)
}

// flush writes the rows l holds.
func (w *importWriter) flush(l *tableLoader) error {
	if l == nil || len(l.args) == 0 {
		return nil
	}
	args := l.args
	if l.feed != nil {
		var err error
		if args, err = l.feed(args); err != nil {
			return err
		}
	}
	for len(args) > 0 {
		n := min(len(args)/l.cols, l.rowsPer)
		st, err := l.stmt(w, n)
		if err != nil {
			return err
		}
		if err := st.Exec(w.ctx, args[:n*l.cols]...); err != nil {
			return err
		}
		args = args[n*l.cols:]
	}
	l.args = l.args[:0]
	return nil
}

// stmt is the statement writing n rows at once.
func (l *tableLoader) stmt(w *importWriter, n int) (Stmt, error) {
	if st, ok := l.stmts[n]; ok {
		return st, nil
	}
	st, err := w.tx.Prepare(w.ctx, l.u.sql(n, l.plain))
	if err == nil {
		l.stmts[n] = st
	}
	return st, err
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
	l := &tableLoader{u: u, stmts: map[int]Stmt{}, rowsPer: 1, cols: strings.Count(u.cols, ",") + 1}
	if u.conflict == "(id)" || u.conflict == "(name)" {
		l.rowsPer = max(1, statementArgs/l.cols)
		var err error
		if l.plain, err = w.emptyTable(u.table); err != nil {
			return nil, err
		}
		if l.plain {
			w.filled = true
			if err := w.dropIndexes(u.table); err != nil {
				return nil, err
			}
		}
	}
	l.args = make([]any, 0, l.rowsPer*l.cols)
	switch kind {
	case "billing_items":
		l.feed = func(args []any) ([]any, error) { return w.feed.changedItems(args, l.cols, l.plain) }
	case "contracts": // billing_organization_id
		l.feed = func(args []any) ([]any, error) {
			return args, w.feed.changedScopes(kind, "contract_id", args, l.cols, []int{3})
		}
	case "projects": // organization_id, type
		l.feed = func(args []any) ([]any, error) {
			return args, w.feed.changedScopes(kind, "project_id", args, l.cols, []int{3, 4})
		}
	}
	w.loaders[kind] = l
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
		for _, st := range l.stmts {
			st.Close()
		}
	}
}
