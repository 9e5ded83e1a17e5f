package e2e_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// loadClients is how many clients hammer portald at once (issue 7).
const loadClients = 64

// loadDuration is PORTALCTL_LOAD_SECONDS, else 30 s (5 s with -short).
func loadDuration(t *testing.T) time.Duration {
	if s := os.Getenv("PORTALCTL_LOAD_SECONDS"); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n <= 0 {
			t.Fatalf("PORTALCTL_LOAD_SECONDS=%q: give a number of seconds", s)
		}
		return time.Duration(n * float64(time.Second))
	}
	if testing.Short() {
		return 5 * time.Second
	}
	return 30 * time.Second
}

// writeTarget is where one portal user files issues and adds notes.
type writeTarget struct{ user, project, task string }

var writeTargets = []writeTarget{
	{"ben", "P20260105.0001", "T20260105.0001"},
	{"adam", "P20260105.0001", "T20260105.0006"},
	{"ava", "P20260110.0002", "T20260110.0009"},
}

var writeKinds = []string{"issue", "note", "task_note"}

// ack is a write portald acknowledged with a 2xx.
type ack struct {
	kind   string
	target writeTarget
	marker string // the unique title or subject
	id     int64
}

// write sends one write whose title or subject is marker; issues carry
// marker as their Idempotency-Key too. It returns the new record's id.
func write(c *client, kind string, tg writeTarget, marker string) (int, int64, error) {
	var out struct {
		ID int64 `json:"id"`
	}
	var status int
	var err error
	switch kind {
	case "issue":
		status, err = c.call("POST", "/v1/projects/"+tg.project+"/issues", api.NewIssue{Title: marker, Description: "filed under load"}, &out, "Idempotency-Key", marker)
	case "note":
		status, err = c.call("POST", "/v1/projects/"+tg.project+"/notes", api.NewNote{Title: marker, Body: "written under load"}, &out)
	default:
		status, err = c.call("POST", "/v1/tasks/"+tg.task+"/notes", api.NewTaskNote{Subject: marker, Body: "written under load"}, &out)
	}
	return status, out.ID, err
}

// tally is what the clients saw.
type tally struct {
	mu        sync.Mutex
	byStatus  map[int]int // 0: no answer
	reads     int
	replays   int
	latencies []time.Duration
	acks      []ack
	problems  []string // the first unexpected answers
}

func (ta *tally) record(start time.Time, status int, err error) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	ta.latencies = append(ta.latencies, time.Since(start))
	ta.byStatus[status]++
	if err != nil && len(ta.problems) < 10 {
		ta.problems = append(ta.problems, err.Error())
	}
}

func (ta *tally) problem(format string, args ...any) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	if len(ta.problems) < 10 {
		ta.problems = append(ta.problems, fmt.Sprintf(format, args...))
	}
}

// readOnce is one read a portal user or a cron job makes.
func readOnce(ta *tally, clients map[string]*client, rng *rand.Rand) {
	paths := []struct{ user, path string }{
		{"ava", "/v1/projects?limit=50"},
		{"ben", "/v1/tasks/open"},
		{"adam", "/v1/projects/P20260105.0001/notes?limit=100"},
		{"chloe", "/v1/end-client/billed-hours?limit=200"},
	}
	p := paths[rng.IntN(len(paths))]
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	// Billed hours: up to three pages, the way an export walks its cursor.
	for pages := 0; pages < 3; pages++ {
		start := time.Now()
		path := p.path
		if page.NextCursor != nil {
			path += "&cursor=" + url.QueryEscape(*page.NextCursor)
		}
		page.NextCursor = nil
		status, err := clients[p.user].call("GET", path, nil, &page)
		ta.record(start, status, err)
		ta.mu.Lock()
		ta.reads++
		ta.mu.Unlock()
		if err != nil || page.NextCursor == nil || p.user != "chloe" {
			return
		}
	}
}

// writeAndMaybeReplay files one write; a third of the issues are sent
// twice with the same Idempotency-Key, as a retrying CI job would.
func writeAndMaybeReplay(ta *tally, clients map[string]*client, rng *rand.Rand, marker string) {
	kind, tg := writeKinds[rng.IntN(len(writeKinds))], writeTargets[rng.IntN(len(writeTargets))]
	c := clients[tg.user]
	start := time.Now()
	status, id, err := write(c, kind, tg, marker)
	ta.record(start, status, err)
	if err != nil {
		return
	}
	ta.mu.Lock()
	ta.acks = append(ta.acks, ack{kind, tg, marker, id})
	ta.mu.Unlock()
	if kind != "issue" || rng.IntN(3) != 0 {
		return
	}
	start = time.Now()
	status, again, err := write(c, kind, tg, marker)
	ta.record(start, status, err)
	if err == nil && (status != 200 || again != id) {
		ta.problem("replayed issue %s: %d, id %d, want 200 and id %d", marker, status, again, id)
	}
	ta.mu.Lock()
	ta.replays++
	ta.mu.Unlock()
}

// checkAcked reads every list written to back through the API: each
// acknowledged write must be there exactly once.
func checkAcked(t *testing.T, clients map[string]*client, acks []ack) {
	t.Helper()
	lists := map[string]map[string]int{}
	for _, a := range acks {
		path, field := "/v1/projects/"+a.target.project+"/issues", "title"
		switch a.kind {
		case "note":
			path = "/v1/projects/" + a.target.project + "/notes"
		case "task_note":
			path, field = "/v1/tasks/"+a.target.task+"/notes", "subject"
		}
		if lists[path] == nil {
			lists[path] = clients[a.target.user].titles(t, path, field)
		}
		if n := lists[path][a.marker]; n != 1 {
			t.Errorf("acknowledged %s %q (id %d) is in %s %d times, want once", a.kind, a.marker, a.id, path, n)
		}
	}
}

// TestLoadMixedReadsAndWrites: 64 clients read and write for LOADTIME
// against one SQLite portald while a second process writes to the same
// file. No answer may be a 5xx and nothing may log SQLITE_BUSY (one writer
// connection, WAL, busy timeout), and every acknowledged write must be
// readable afterwards, exactly once.
func TestLoadMixedReadsAndWrites(t *testing.T) {
	db := demoDB(t, "--billing-items", "20000")
	tokens := map[string]string{}
	for _, u := range []string{"ava", "ben", "adam", "chloe"} {
		tokens[u] = mintToken(t, db, u)
	}
	d := startDaemon(t, db)
	tr := newTransport()
	clients := map[string]*client{}
	for u, tok := range tokens {
		clients[u] = newClient(d.URL, tok, tr)
	}

	ta := &tally{byStatus: map[int]int{}}
	dur := loadDuration(t)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for i := range loadClients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 14))
			for seq := 0; time.Now().Before(deadline); seq++ {
				if rng.IntN(10) < 7 {
					readOnce(ta, clients, rng)
				} else {
					writeAndMaybeReplay(ta, clients, rng, fmt.Sprintf("load c%02d w%05d", i, seq))
				}
			}
		})
	}
	// A second process writes to the same file meanwhile, as an operator's
	// `portald token create` would: SQLite's busy timeout must absorb it.
	operatorWrites := 0
	wg.Go(func() {
		for ; time.Now().Before(deadline); operatorWrites++ {
			out, err := exec.Command(filepath.Join(bin, "portald"), "token", "create", "--db", db, "--username", "ben", "--name", "operator").CombinedOutput()
			if err != nil {
				ta.problem("portald token create during the load: %v %s", err, out)
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
	wg.Wait()
	elapsed := time.Since(start)
	checkAcked(t, clients, ta.acks)

	total, fiveXX := 0, 0
	for status, n := range ta.byStatus {
		total += n
		if status >= 500 {
			fiveXX += n
		}
	}
	perKind := map[string]int{}
	for _, a := range ta.acks {
		perKind[a.kind]++
	}
	slices.Sort(ta.latencies)
	t.Logf("load: %d clients for %s: %d requests (%.0f/s): %d reads, %d writes acknowledged (%d issues, %d notes, %d task notes), %d idempotent replays, %d token creations by a second process; statuses %v; latency p50 %s, p99 %s, max %s",
		loadClients, elapsed.Round(time.Millisecond), total, float64(total)/elapsed.Seconds(), ta.reads, len(ta.acks),
		perKind["issue"], perKind["note"], perKind["task_note"], ta.replays, operatorWrites, ta.byStatus,
		percentile(ta.latencies, 50), percentile(ta.latencies, 99), ta.latencies[len(ta.latencies)-1].Round(time.Microsecond))
	if fiveXX > 0 || len(ta.problems) > 0 {
		t.Errorf("%d answers were 5xx; unexpected answers (first %d): %s", fiveXX, len(ta.problems), strings.Join(ta.problems, "\n"))
	}
	for _, k := range writeKinds {
		if perKind[k] == 0 {
			t.Errorf("no %s was written: the mix is broken", k)
		}
	}
	if logs := d.logs.String(); strings.Contains(logs, "SQLITE_BUSY") || strings.Contains(logs, "database is locked") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("portald logged errors under load:\n%s", logs)
	}
	if code := d.stop(os.Interrupt); code != 0 {
		t.Errorf("portald exit %d after the load, want 0\n%s", code, d.logs)
	}
}

// percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)].Round(time.Microsecond)
}
