package e2e_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestIssueNewIfAbsentFromConcurrentJobs (issue 17, adversary finding 15):
// ten CI jobs run `portalctl issue new --if-absent` at the same moment.
// portalctl used to look for the open issue and then file, so nine jobs
// filed nine issues. Now portald checks and files in one step: exactly one
// issue exists and every job prints it.
func TestIssueNewIfAbsentFromConcurrentJobs(t *testing.T) { eachBackend(t, testIfAbsentJobs) }

func testIfAbsentJobs(t *testing.T, backend string) {
	db := attackDB(t, backend)
	d := startDaemon(t, db)
	const jobs = 10
	title := "matrix job failed on " + backend
	out := make([]result, jobs)
	users := make([]*user, jobs)
	for i, tok := range mintTokens(t, db, slices.Repeat([]string{"ben"}, jobs)...) {
		users[i] = ctlAt(t, d.URL, tok)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			<-start // all at once, as jobs of one CI matrix
			out[i] = u.run("", "issue", "new", "--project", "P20260105.0001", "--title", title,
				"--body", fmt.Sprintf("job %d", i), "--if-absent", "-o", "json", "--jq", ".number")
		})
	}
	close(start)
	wg.Wait()
	numbers := map[string]int{}
	for i, r := range out {
		if r.Code != 0 {
			t.Fatalf("job %d: exit %d: %s", i, r.Code, r.Stderr)
		}
		numbers[strings.TrimSpace(r.Stdout)]++
	}
	if len(numbers) != 1 {
		t.Errorf("the jobs printed %d different issues, want one: %v", len(numbers), numbers)
	}
	issues := newClient(d.URL, mintToken(t, db, "ben"), newTransport()).titles(t, "/v1/projects/1/issues", "title")
	if issues[title] != 1 {
		t.Errorf("%d issues titled %q after %d concurrent --if-absent jobs, want 1", issues[title], title, jobs)
	}
}
