package e2e_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEJourney follows the README's tour: log in, list projects, file
// an issue from a CI job (twice, as a retried job would), and export billed
// hours to CSV from a cron job (twice: the second run exports nothing new).
func TestREADMEJourney(t *testing.T) {
	s := startServer(t)

	ava := s.newUser(t, "ava").login()
	if out := ava.ok("projects", "list"); !strings.Contains(out, "P20260105.0001\t") {
		t.Errorf("piped projects list is not TSV with the project: %q", out)
	}
	secret := strings.TrimSpace(ava.ok("auth", "token"))
	if status := ava.ok("auth", "status"); !strings.Contains(status, "Logged in as ava") || strings.Contains(status, secret) {
		t.Errorf("auth status must name the user and mask the token %q:\n%s", secret, status)
	}
	fi, err := os.Stat(filepath.Join(ava.home, ".config", "portalctl", "config.yaml"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("--insecure-storage config file: %v, want mode 0600", err)
	}

	// A CI job: a token from the operator, the host from the environment.
	token, err := exec.Command(filepath.Join(bin, "portald"), "token", "create", "--db", s.DB, "--username", "ben", "--name", "ci").Output()
	if err != nil {
		t.Fatalf("portald token create: %v", err)
	}
	ci := s.newUser(t, "ci")
	ci.env = append(ci.env, "PORTALCTL_HOST="+s.URL, "PORTALCTL_TOKEN="+strings.TrimSpace(string(token)))
	if err := os.WriteFile(filepath.Join(ci.home, "build.log"), []byte("backup job exited 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fileIssue := []string{"issue", "new", "--project", "P20260105.0001", "--title", "Nightly backup failed", "--body-file", "build.log", "--if-absent"}
	first := ci.jsonRecord("", fileIssue...)
	again := ci.jsonRecord("", fileIssue...)
	if first["id"] == nil || again["id"] != first["id"] || first["description"] != "backup job exited 3\n" {
		t.Errorf("--if-absent filed twice or lost the body: %v then %v", first, again)
	}
	keyed := []string{"issue", "new", "--project", "P20260105.0001", "--title", "Disk full", "--idempotency-key", "build-42", "--body-file", "-"}
	k1, k2 := ci.jsonRecord("disk /var is full\n", keyed...), ci.jsonRecord("disk /var is full\n", keyed...)
	if k1["id"] != k2["id"] {
		t.Errorf("the same --idempotency-key filed two issues: %v, %v", k1["id"], k2["id"])
	}
	ci.fails(6, []string{"build-42"}, "issue", "new", "--project", "P20260105.0001", "--title", "Other", "--idempotency-key", "build-42")
	titles := column(ci.jsonRows("issue", "list", "--project", "P20260105.0001", "--all"), "title")
	if n := strings.Count(strings.Join(titles, "\n"), "Nightly backup failed"); n != 1 {
		t.Errorf("%d issues titled Nightly backup failed, want 1: %v", n, titles)
	}

	// A cron job exporting billed hours, each row exactly once across runs.
	chloe := s.newUser(t, "chloe").login()
	export := []string{"endclient", "hours", "-o", "csv", "--state", "hours.state", "--output-file"}
	chloe.ok(append(export, "run1.csv")...)
	rows := readCSV(t, filepath.Join(chloe.home, "run1.csv"))
	if len(rows) < 3 || rows[0][0] != "id" {
		t.Fatalf("first export: %v", rows)
	}
	var state map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(chloe.home, "hours.state"))), &state); err != nil || state["format"] != 2.0 || state["feed"] == "" {
		t.Fatalf("state file: %v %v", state, err)
	}
	// Nothing changed since: said on stderr, and no file.
	if r := chloe.run("", append(export, "run2.csv")...); r.Code != 0 || !strings.Contains(r.Stderr, "No changes") {
		t.Errorf("second export: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(chloe.home, "run2.csv")); !os.IsNotExist(err) {
		t.Errorf("second export wrote a file without rows: %v", err)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(readFile(t, path))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
