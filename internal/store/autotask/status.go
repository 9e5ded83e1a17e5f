package autotask

import (
	"context"
	"sort"
	"strings"
	"time"
)

// SyncStatus is what `portald sync status` shows of a database's copy.
type SyncStatus struct {
	AsOf        time.Time // start of the last complete pass (zero: none yet)
	LastAttempt time.Time
	LastError   string // of the last failed pass, when it failed after AsOf
	InitialDone time.Time
	// Progress of the initial sync per entity: "done", or the last id
	// written so far.
	Initial map[string]string
	Cursors map[string]string // per entity: the last-change cursor
	Later   map[string]int    // records waiting for their parent
	Lease   string            // the holder and expiry of the SQLite lease
}

// Status reads the sync's state from the database.
func Status(ctx context.Context, db Local) (SyncStatus, error) {
	state, err := db.SyncState(ctx)
	if err != nil {
		return SyncStatus{}, err
	}
	st := SyncStatus{Initial: map[string]string{}, Cursors: map[string]string{}, Later: map[string]int{}, Lease: state[keyLease]}
	st.AsOf, _ = parseStamp(state[keyLastSuccess])
	st.LastAttempt, _ = parseStamp(state[keyLastAttempt])
	st.InitialDone, _ = parseStamp(state[keyInitialDone])
	if e := state[keyLastError]; e != "" {
		at, msg, _ := strings.Cut(e, " ")
		if t, err := time.Parse(time.RFC3339, at); err == nil && t.After(st.AsOf) {
			st.LastError = msg
		}
	}
	for k, v := range state {
		switch kind, entity, _ := strings.Cut(k, ":"); kind {
		case "initial":
			st.Initial[entity] = v
		case "cursor":
			st.Cursors[entity] = v
		case "later":
			if n := len(splitIDs(v)); n > 0 {
				st.Later[entity] = n
			}
		}
	}
	return st, nil
}

// Entities lists the keys of a status map in order.
func Entities[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
