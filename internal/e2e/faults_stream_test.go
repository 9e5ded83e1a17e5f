package e2e_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const hoursRoute = "GET /v1/end-client/billed-hours"

// billedRow is one NDJSON line of the billed-hours export.
func billedRow(id int) string {
	return fmt.Sprintf(`{"id":%d,"entry":"new","client_id":300,"client_name":"Tailspin Dental","project_id":5,"project_number":"P20260201.0005","project_name":"Tailspin office move","task_id":null,"task_number":null,"task_title":null,"resource":null,"worked_date":"2026-02-0%d","hours_worked":1.00,"hours_billed":1.00,"rate":null,"amount":null,"description":"","billed_at":null}`+"\n", id, id)
}

// export answers the billed-hours export with body, then ends as end says:
// "" = normally, "abort" = the connection is cut (no end of the chunked
// body), "stall" = silence until the client hangs up.
func export(body, end string) fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		if r.URL.Query().Get("since") != "f00d:7" {
			http.Error(w, `{"error":{"code":"invalid_request","message":"the test expects since=f00d:7 from --state"}}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Header().Set("Portal-Feed-Position", "f00d:9")
		w.Write([]byte(body))
		w.(http.Flusher).Flush()
		switch end {
		case "abort":
			panic(http.ErrAbortHandler)
		case "stall":
			<-r.Context().Done()
		}
	}
}

// fabrikam answers /v1/me for the canned servers: CSV and tables need the
// organization's time zone. Everything else is 404.
var fabrikam = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/me" {
		http.Error(w, `{"error":{"code":"not_found","message":"not here"}}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"user":{"username":"chloe"},"organization":{"id":200,"name":"Fabrikam Partners","time_zone":"America/Los_Angeles"},"is_billing_organization":true}`))
})

// TestBrokenExportsLeaveNothing runs the nightly export (`endclient hours
// --output-file F --state S`) against answers that break part-way: it
// exits non-zero with a clear message, and leaves no F, no temporary file,
// and S as it was, so the next run exports the same rows again.
func TestBrokenExportsLeaveNothing(t *testing.T) {
	rows := billedRow(8) + billedRow(9)
	tests := []struct {
		name   string
		answer fault
		code   int
		stderr string
	}{
		{"complete (control)", export(rows, ""), 0, ""},
		{"cut mid-line", export(rows+billedRow(10)[:40], "abort"), 1,
			"error: the server's answer was cut off before the end: unexpected EOF\n"},
		{"cut between lines", export(rows, "abort"), 1,
			"error: the server's answer was cut off before the end: unexpected EOF\n"},
		{"last line without its newline", export(rows+strings.TrimSuffix(billedRow(10), "\n"), ""), 1,
			"error: the server's answer was cut off before the end: unexpected EOF\n"},
		{"error line part-way", export(rows+`{"error":{"code":"internal","message":"the database went away"}}`+"\n", ""), 1,
			"error: the database went away\n"},
		{"silent after two rows", export(rows, "stall"), 1,
			"error: GET /v1/end-client/billed-hours: the server sent nothing for 1s; the answer is incomplete\n"},
		{"silent from the start", stall, 1,
			"error: GET /v1/end-client/billed-hours: no answer from HOST within 1s\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, fabrikam).forever(hoursRoute, tt.answer)
			u := ctlAt(t, fs.URL, "pct_test", "PORTALCTL_TIMEOUT=1s")
			statePath := filepath.Join(u.home, "hours.state")
			state := `{"format":2,"server":"` + fs.URL + `","user":"chloe","feed":"f00d","position":7}`
			if err := os.WriteFile(statePath, []byte(state), 0o600); err != nil {
				t.Fatal(err)
			}
			before := append(listDir(t, u.home), "hours.state.lock")
			slices.Sort(before)
			start := time.Now()
			r := u.run("", "endclient", "hours", "-o", "csv", "--output-file", "hours.csv", "--state", "hours.state")
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("portalctl took %s with a 1s PORTALCTL_TIMEOUT", took)
			}
			wantErr := strings.ReplaceAll(tt.stderr, "HOST", hostOf(fs.URL))
			if r.Code != tt.code || r.Stdout != "" || r.Stderr != wantErr {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stderr %q", r.Code, r.Stdout, r.Stderr, tt.code, wantErr)
			}
			after := listDir(t, u.home)
			if tt.code == 0 {
				// The control: the same check sees a written export.
				if got := readFile(t, statePath); !strings.Contains(got, `"position": 9`) {
					t.Errorf("state after a complete export: %q", got)
				}
				if csv := readFile(t, filepath.Join(u.home, "hours.csv")); strings.Count(csv, "\n") != 3 {
					t.Errorf("hours.csv: %q, want a header and 2 rows", csv)
				}
				return
			}
			if !slices.Equal(after, before) {
				t.Errorf("files after the failed export: %v, before: %v", after, before)
			}
			if got := readFile(t, statePath); got != state {
				t.Errorf("state changed to %q", got)
			}
		})
	}
}

// TestStallPastTheTimeout: a portal that accepts the connection and never
// answers makes portalctl give up after PORTALCTL_TIMEOUT, not hang a cron
// job; retries do not extend the wait.
func TestStallPastTheTimeout(t *testing.T) {
	fs := newFaultServer(t, fabrikam).forever(projectsRoute, stall)
	start := time.Now()
	r := ctlAt(t, fs.URL, "pct_test", "PORTALCTL_TIMEOUT=1s").run("", "projects", "list")
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("portalctl took %s with a 1s PORTALCTL_TIMEOUT", took)
	}
	want := fmt.Sprintf("error: GET /v1/projects: no answer from %s within 1s\n", hostOf(fs.URL))
	if r.Code != 1 || r.Stdout != "" || r.Stderr != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1, stderr %q", r.Code, r.Stdout, r.Stderr, want)
	}
	if n := len(fs.requests(projectsRoute)); n != 1 {
		t.Errorf("%d requests: the timeout covers every attempt, so a stall is not retried", n)
	}
	r = ctlAt(t, fs.URL, "pct_test", "PORTALCTL_TIMEOUT=soon").run("", "projects", "list")
	if r.Code != 2 || !strings.HasPrefix(r.Stderr, "error: PORTALCTL_TIMEOUT=soon is not a duration: use e.g. 30s or 2m\n") {
		t.Errorf("a bad PORTALCTL_TIMEOUT: %+v", r)
	}
}

// listDir names the entries of dir, hidden ones (temporary files) included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
