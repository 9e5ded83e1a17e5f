package portal_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewIssueIfAbsent(t *testing.T) { portaltest.EachBackend(t, testNewIssueIfAbsent) }

// testNewIssueIfAbsent (issue 17, adversary finding 15): ten CI jobs file
// the same issue at once with --if-absent. The check used to run in the
// client before filing, so they filed nine. Now the server checks and
// files in one step: exactly one is created and every job gets it.
func testNewIssueIfAbsent(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	const jobs = 10
	results := make([]portal.IssueResult, jobs)
	errs := make([]error, jobs)
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Go(func() {
			results[i], errs[i] = svc.NewIssue(ctx, ben, "P20260105.0001",
				api.NewIssue{Title: "Nightly backup failed", Description: fmt.Sprintf("job %d", i), IfAbsent: true}, fmt.Sprintf("job-%d", i))
		})
	}
	wg.Wait()
	created := 0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("job %d: %v", i, errs[i])
		}
		if r.Created {
			created++
		}
		if r.Issue.ID != results[0].Issue.ID {
			t.Errorf("job %d got issue %d, job 0 got %d", i, r.Issue.ID, results[0].Issue.ID)
		}
	}
	if created != 1 {
		t.Fatalf("%d issues filed by %d concurrent --if-absent jobs, want 1", created, jobs)
	}
	first := results[0].Issue.ID

	tests := []struct {
		name    string
		in      api.NewIssue
		key     string
		created bool
	}{
		{"another case and blanks", api.NewIssue{Title: "  NIGHTLY backup FAILED ", IfAbsent: true}, "", false},
		{"a retry of job 3", api.NewIssue{Title: "Nightly backup failed", Description: "job 3", IfAbsent: true}, "job-3", false},
		{"another title", api.NewIssue{Title: "Nightly backup failed twice", IfAbsent: true}, "", true},
		{"an open issue of the fixture", api.NewIssue{Title: "Shared calendar missing after test", IfAbsent: true}, "", false},
		{"a task that is not an issue", api.NewIssue{Title: "Approve mailbox cut-over window", IfAbsent: true}, "", true},
		{"a hidden task", api.NewIssue{Title: "Internal: prepare scripts", IfAbsent: true}, "", true},
		{"without --if-absent", api.NewIssue{Title: "Nightly backup failed"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := svc.NewIssue(ctx, ben, "1", tt.in, tt.key)
			if err != nil || r.Created != tt.created {
				t.Fatalf("%+v %v, want created %v", r, err, tt.created)
			}
			if tt.name == "another case and blanks" && r.Issue.ID != first {
				t.Errorf("got issue %d, want %d", r.Issue.ID, first)
			}
		})
	}
	// The same key without --if-absent is another request. (The Autotask
	// bridge records a key only for an issue it files.)
	if backend != "autotask" {
		_, err := svc.NewIssue(ctx, ben, "1", api.NewIssue{Title: "Nightly backup failed", Description: "job 3"}, "job-3")
		wantCode(t, err, api.CodeIdempotencyConflict)
	}
}
