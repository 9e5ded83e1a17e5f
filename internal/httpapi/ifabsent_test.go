package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/time/rate"
)

func TestNewIssueIfAbsentOverHTTP(t *testing.T) {
	portaltest.EachBackend(t, testNewIssueIfAbsentOverHTTP)
}

// testNewIssueIfAbsentOverHTTP: ten concurrent POSTs with if_absent (each
// with its own Idempotency-Key, as ten CI jobs send) file one issue: one
// 201, nine 200 with the same issue.
func testNewIssueIfAbsentOverHTTP(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{TokenRate: rate.Inf, TokenBurst: 1})
	ben := e.token("ben")
	const jobs = 10
	statuses := make([]int, jobs)
	ids := make([]int64, jobs)
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", e.srv.URL+"/v1/projects/P20260105.0001/issues",
				strings.NewReader(fmt.Sprintf(`{"title":"Matrix job failed","description":"job %d","if_absent":true}`, i)))
			req.Header.Set("Authorization", "Bearer "+ben)
			req.Header.Set("Idempotency-Key", fmt.Sprintf("ci-job-%d", i))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var task api.Task
			json.Unmarshal(b, &task)
			statuses[i], ids[i] = resp.StatusCode, task.ID
		})
	}
	wg.Wait()
	count := map[int]int{}
	for i, st := range statuses {
		count[st]++
		if ids[i] != ids[0] || ids[i] == 0 {
			t.Errorf("job %d: issue %d, job 0 got %d", i, ids[i], ids[0])
		}
	}
	if count[201] != 1 || count[200] != jobs-1 {
		t.Fatalf("statuses %v, want one 201 and %d 200", count, jobs-1)
	}
}
