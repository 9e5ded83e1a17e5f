package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// importFiles are the export files bigImportFile built, by row count.
var importFiles sync.Map // int → *importFile

type importFile struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// bigImportFile is, once per test binary, an export of the demo data with
// rows billing items: an import that holds the write lock for seconds.
func bigImportFile(t *testing.T, rows int) string {
	t.Helper()
	v, _ := importFiles.LoadOrStore(rows, &importFile{})
	f := v.(*importFile)
	f.once.Do(func() {
		dir := filepath.Join(bin, fmt.Sprintf("import-%d", rows))
		if f.err = os.MkdirAll(dir, 0o700); f.err != nil {
			return
		}
		db := filepath.Join(dir, "big.db")
		portald := filepath.Join(bin, "portald")
		if f.out, f.err = exec.Command(portald, "demo", "--db", db, "--billing-items", fmt.Sprint(rows)).CombinedOutput(); f.err != nil {
			return
		}
		f.path = filepath.Join(dir, "big.json")
		out, err := os.Create(f.path)
		if f.err = err; err != nil {
			return
		}
		defer out.Close()
		cmd := exec.Command(portald, "export", "--db", db)
		cmd.Stdout = out
		f.out, f.err = nil, cmd.Run()
	})
	if f.err != nil {
		t.Fatalf("building the import file: %v\n%s", f.err, f.out)
	}
	return f.path
}

// importRows is how many billing items the import of each backend writes:
// enough to hold the lock for several seconds (PostgreSQL imports slower).
var importRows = map[string]int{"sqlite": 200000, "postgres": 50000}

// TestAttackImportWhileServing (issue 17, adversary finding 12): the
// provider imports 200,000 rows (50,000 on PostgreSQL) while portald
// serves. On SQLite the import
// holds the write lock for seconds; reads failed with 500 because
// authenticating a fresh token wrote last_used_at, and writes waited 10 s
// and then answered 500. Now a token check never writes on the request
// path, so reads with fresh tokens are answered throughout, and a write
// either waits and succeeds or answers 503 with Retry-After: never a 5xx
// other than that, never a read failure.
func TestAttackImportWhileServing(t *testing.T) { eachBackend(t, testImportWhileServing) }

func testImportWhileServing(t *testing.T, backend string) {
	file := bigImportFile(t, importRows[backend])
	db := attackDB(t, backend, "--billing-items", "20000")
	d := startDaemon(t, db)
	mem := sampleRSS(t, d.cmd.Process.Pid)
	// Tokens never used before: authenticating one used to write its
	// last_used_at. Each probe request takes the next one, so fresh
	// tokens come in all through the import.
	var users []string
	for i := range 40 {
		users = append(users, []string{"ben", "ava", "adam", "chloe"}[i%4])
	}
	fresh := mintTokens(t, db, users...)
	var next atomic.Int64
	writer := newClient(d.URL, mintToken(t, db, "ben"), newTransport())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	imported := make(chan result, 1)
	var importTook time.Duration
	go func() {
		start := time.Now()
		r := portaldRun(t, "", nil, "import", "--db", db, file)
		importTook = time.Since(start)
		imported <- r
		time.Sleep(300 * time.Millisecond) // and a little after
		cancel()
	}()

	// Writes meanwhile, one at a time: each is acknowledged, or refused
	// with 503 and Retry-After; nothing else.
	writes := map[int]int{}
	var writeProblems []string
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			status, retryAfter, err := writeNote(writer, fmt.Sprintf("during the import %d", i), "b")
			writes[status]++
			if status/100 != 2 && (status != 503 || retryAfter == "") {
				writeProblems = append(writeProblems, fmt.Sprintf("%d %q %v", status, retryAfter, err))
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	res := probeWith(ctx, d.URL, 4, func(int, int) string { return fresh[int(next.Add(1))%len(fresh)] },
		[]string{"/v1/me", "/v1/projects", "/readyz", "/v1/tasks/open", "/v1/projects/1/notes"})
	wg.Wait()
	if r := <-imported; r.Code != 0 {
		t.Fatalf("portald import: exit %d\n%s", r.Code, r.Stderr)
	}
	t.Logf("%s: the import took %s; writes meanwhile: %v", backend, importTook.Round(time.Millisecond), writes)
	checkProbes(t, fmt.Sprintf("%s: reads during a %d-row import", backend, importRows[backend]), res)
	if len(writeProblems) > 0 {
		t.Errorf("writes during the import: %d answers neither 2xx nor 503 with Retry-After: %s", len(writeProblems), strings.Join(writeProblems, "; "))
	}
	if logs := d.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("portald logged errors during the import:\n%s", logs)
	}
	checkRSS(t, mem)
}

// writeNote adds a project note and returns the status and Retry-After.
func writeNote(c *client, title, body string) (int, string, error) {
	b, _ := json.Marshal(map[string]string{"title": title, "body": body})
	req, _ := http.NewRequest("POST", c.base+"/v1/projects/1/notes", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	_, err = drain(resp)
	return resp.StatusCode, resp.Header.Get("Retry-After"), err
}
