package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store/sqlite"
)

// TestKill9DuringWrites: portald is killed with SIGKILL while 16 clients
// write. The database then passes PRAGMA integrity_check, holds every
// acknowledged write exactly once (portald export, and the API after a
// restart), and issues whose answer never came can be sent again with
// their Idempotency-Key without being filed twice.
func TestKill9DuringWrites(t *testing.T) {
	db := demoDB(t)
	tokens := map[string]string{}
	for _, u := range []string{"ava", "ben", "adam"} {
		tokens[u] = mintToken(t, db, u)
	}
	d := startDaemon(t, db)
	clients := map[string]*client{}
	tr := newTransport()
	for u, tok := range tokens {
		clients[u] = newClient(d.URL, tok, tr)
	}

	var mu sync.Mutex
	var acks, unanswered []ack
	var acked atomic.Int64
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 9))
			for seq := 0; ; seq++ {
				kind, tg := writeKinds[rng.IntN(len(writeKinds))], writeTargets[rng.IntN(len(writeTargets))]
				a := ack{kind: kind, target: tg, marker: fmt.Sprintf("crash c%02d w%05d", i, seq)}
				status, id, err := write(clients[tg.user], kind, tg, a.marker)
				mu.Lock()
				switch {
				case status == 0: // no answer: portald is gone
					unanswered = append(unanswered, a)
				case err != nil:
					t.Errorf("write before the kill: %v", err)
				default:
					a.id = id
					acks = append(acks, a)
					acked.Add(1)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	for deadline := time.Now().Add(30 * time.Second); acked.Load() < 300 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	d.kill()
	wg.Wait()
	if len(acks) < 300 {
		t.Fatalf("only %d writes were acknowledged before the kill", len(acks))
	}

	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("the database does not open after kill -9: %v", err)
	}
	verdict, err := st.IntegrityCheck(context.Background())
	st.Close()
	if err != nil || verdict != "ok" {
		t.Fatalf("PRAGMA integrity_check after kill -9: %q %v", verdict, err)
	}

	exported := exportedMarkers(t, db)
	for _, a := range acks {
		if n := exported[a.kind][a.marker]; n != 1 {
			t.Errorf("acknowledged %s %q is in the export %d times, want once", a.kind, a.marker, n)
		}
	}
	committed, retried := 0, 0
	for _, a := range unanswered {
		n := exported[a.kind][a.marker]
		if n > 1 {
			t.Errorf("unanswered %s %q is in the export %d times", a.kind, a.marker, n)
		}
		committed += n
	}

	// Restart on the same file; a CI job retries its unanswered issues.
	d = startDaemon(t, db)
	tr = newTransport()
	for u, tok := range tokens {
		clients[u] = newClient(d.URL, tok, tr)
	}
	for i, a := range unanswered {
		if a.kind != "issue" {
			continue
		}
		status, id, err := write(clients[a.target.user], a.kind, a.target, a.marker)
		if err != nil || (status != 200 && status != 201) {
			t.Errorf("retrying issue %q after the restart: %d %v", a.marker, status, err)
		}
		unanswered[i].id = id
		acks = append(acks, unanswered[i])
		retried++
	}
	checkAcked(t, clients, acks)
	t.Logf("kill -9: %d writes acknowledged before SIGKILL, %d in flight (%d of them had been committed); integrity_check %q; %d unanswered issues retried with their Idempotency-Key, each filed once",
		len(acks)-retried, len(unanswered), committed, verdict, retried)
}

// exportedMarkers counts, per write kind, the titles (subjects for task
// notes) in `portald export`.
func exportedMarkers(t *testing.T, db string) map[string]map[string]int {
	t.Helper()
	var data struct {
		Tasks        []struct{ Title string } `json:"tasks"`
		ProjectNotes []struct{ Title string } `json:"project_notes"`
		TaskNotes    []struct {
			Subject string
		} `json:"task_notes"`
	}
	if err := json.Unmarshal([]byte(portaldOK(t, "export", "--db", db)), &data); err != nil {
		t.Fatalf("portald export: %v", err)
	}
	out := map[string]map[string]int{"issue": {}, "note": {}, "task_note": {}}
	for _, r := range data.Tasks {
		out["issue"][r.Title]++
	}
	for _, r := range data.ProjectNotes {
		out["note"][r.Title]++
	}
	for _, r := range data.TaskNotes {
		out["task_note"][r.Subject]++
	}
	return out
}
