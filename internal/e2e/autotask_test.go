package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
)

// autotaskEnv are the API user's credentials as an administrator exports them.
var autotaskEnv = []string{
	"AUTOTASK_USERNAME=" + autotasktest.Credentials.Username,
	"AUTOTASK_SECRET=" + autotasktest.Credentials.Secret,
	"AUTOTASK_INTEGRATION_CODE=" + autotasktest.Credentials.IntegrationCode,
}

// startAutotask seeds an Autotask emulator with the demo data and sets up
// portald as the README says: portal settings imported into --db, ben and
// chloe linked with a password, then serve --store autotask with the
// tenant's security level ids, waiting until the initial sync is done.
func startAutotask(t *testing.T, serveArgs ...string) (*server, *atemu.Server) {
	t.Helper()
	var demo bytes.Buffer
	if err := dataset.WriteDemo(&demo, dataset.DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	emu := atemu.New(atemu.Options{Credentials: autotasktest.Credentials})
	t.Cleanup(emu.Close)
	if err := emu.Seed(demo.Bytes()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := &server{DB: filepath.Join(dir, "portal.db"), dir: dir, logs: &lockedBuffer{}}
	settings := filepath.Join(dir, "settings.json")
	writeFile(t, settings, `{"portal": {"name": "Northwind IT Client Portal", "organization_term": "Customer", "support_email": "support@northwind-it.example"}}`, 0o644)
	portaldOK(t, "import", "--db", s.DB, settings)
	for _, l := range []struct{ id, name, level, want string }{
		{"1002", "ben", "basic", "linked ben to Autotask contact 1002 (Ben Ode, Contoso Ltd)"},
		{"2001", "chloe", "advanced", "linked chloe to Autotask contact 2001"},
	} {
		link := []string{"user", "link", "--db", s.DB, "--contact-id", l.id, "--username", l.name, "--security-level", l.level,
			"--password-stdin", "--autotask-discovery-url", strings.TrimSuffix(emu.DiscoveryURL(), "/")}
		if r := portaldRun(t, "portal-pass-1\n", autotaskEnv, link...); r.Code != 0 || !strings.Contains(r.Stderr, l.want) {
			t.Fatalf("user link: %+v", r)
		}
	}
	args := append([]string{"--store", "autotask", "--autotask-url", emu.URL(), "--autotask-sync-interval", "1s",
		"--autotask-security-levels", securityLevels(emu)}, serveArgs...)
	s.serve(t, autotaskEnv, args...)
	waitReady(t, s)
	return s, emu
}

// securityLevels is the --autotask-security-levels value of the emulator's
// tenant: what an administrator reads from portald autotask check.
func securityLevels(emu *atemu.Server) string {
	var parts []string
	for id, level := range emu.SecurityLevels() {
		parts = append(parts, fmt.Sprintf("%d=%s", id, level))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// waitReady waits for /readyz: 503 until the initial sync completes.
func waitReady(t *testing.T, s *server) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(s.URL + "/readyz")
		if err == nil {
			var body map[string]any
			json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return body
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("portald not ready after 30 s: %v\n%s", err, s.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func login(t *testing.T, s *server, name string) *user {
	t.Helper()
	u := s.newUser(t, name)
	if r := u.run("portal-pass-1\n", "auth", "login", "--host", s.URL, "--username", name, "--password-stdin", "--insecure-storage"); r.Code != 0 {
		t.Fatalf("login %s: %+v", name, r)
	}
	return u
}

func TestAutotaskCopyServesPortalctl(t *testing.T) {
	s, emu := startAutotask(t)
	ben := login(t, s, "ben")
	if out := ben.ok("projects", "list", "-o", "csv", "--columns", "number,name"); !strings.Contains(out, "P20260105.0001,") || strings.Contains(out, "P20260110.0002") {
		t.Errorf("ben (basic, on P1's team only) sees:\n%s", out)
	}
	if out := ben.ok("tasks", "open", "-o", "csv", "--columns", "number"); out != "number\nT20260105.0001\nT20260105.0006\n" {
		t.Errorf("open tasks:\n%s", out)
	}
	issue := []string{"issue", "new", "--project", "P20260105.0001", "--title", "Printer offline", "--idempotency-key", "ci-7", "-o", "json", "--jq", ".number"}
	first, again := ben.ok(issue...), ben.ok(issue...)
	if first != again || !strings.HasPrefix(first, "T") {
		t.Errorf("a retried issue is the same task: %q then %q", first, again)
	}
	if n := countTitled(emu.Records("Tasks"), "Printer offline"); n != 1 {
		t.Errorf("Autotask holds %d tasks titled Printer offline, want 1", n)
	}
	if out := ben.ok("issue", "list", "--project", "P20260105.0001", "-o", "csv", "--columns", "title"); !strings.Contains(out, "Printer offline") {
		t.Errorf("ben does not read his own issue at once:\n%s", out)
	}
	ben.ok("tasks", "note", "T20260105.0006", "--subject", "Done on our side", "--message", "Rebooted")
	if n := countTitled(emu.Records("TaskNotes"), "Done on our side"); n != 1 {
		t.Errorf("Autotask holds %d task notes of ben's, want 1", n)
	}
	// A project note, as the real Client Portal files it.
	ben.ok("projects", "note", "add", "P20260105.0001", "--title", "Go-live", "--body", "Agreed for March.")
	var note map[string]any
	for _, n := range emu.Records("ProjectNotes") {
		if n["title"] == "Go-live" {
			note = n
		}
	}
	if note == nil || note["isAnnouncement"] != false || note["noteType"] != 13.0 || note["publish"] != 1.0 {
		t.Errorf("the project note in Autotask: %v", note)
	}
	if out := ben.ok("projects", "notes", "P20260105.0001", "-o", "csv", "--columns", "title"); !strings.Contains(out, "Go-live") {
		t.Errorf("ben does not read his own note at once:\n%s", out)
	}
	// An attachment's content comes from Autotask when downloaded.
	file := filepath.Join(s.dir, "plan.txt")
	ben.ok("attachment", "download", "900", "-O", file)
	if b, err := os.ReadFile(file); err != nil || string(b) != "Migration plan\n" {
		t.Errorf("downloaded %q, %v", b, err)
	}
	ben.fails(1, []string{"Autotask", "does not provide"}, "projects", "calendar", "P20260105.0001")

	status := portaldOK(t, "sync", "status", "--db", s.DB)
	for _, want := range []string{"copy as of:      20", " ago)\n", "initial sync:    done ", "lease (SQLite):  ", "Tasks                    cursor 20"} {
		if !strings.Contains(status, want) {
			t.Errorf("portald sync status does not say %q:\n%s", want, status)
		}
	}

	r := portaldRun(t, "", autotaskEnv, "user", "link", "--db", s.DB, "--contact-id", "99999", "--username", "ghost", "--autotask-url", emu.URL())
	if r.Code != 1 || r.Stderr != "error: no Autotask contact has id 99999; find the id on the contact's page in Autotask\n" {
		t.Errorf("linking a contact Autotask does not have: %+v", r)
	}
	r = portaldRun(t, "", autotaskEnv, "user", "link", "--db", s.DB, "--contact-id", "1006", "--username", "BEN", "--autotask-url", emu.URL())
	if r.Code != 1 || !strings.Contains(r.Stderr, `the username "BEN" is already linked to contact 1002`) {
		t.Errorf("a username taken case-insensitively: %+v", r)
	}
}

// End-client billed hours on Autotask are labour only, invoiced at
// Autotask's extendedPrice and billed when posted (findings §0.2, §0.3).
func TestAutotaskBilledHoursAreLabourAtExtendedPrice(t *testing.T) {
	s, emu := startAutotask(t)
	chloe := login(t, s, "chloe")
	var rows []struct {
		ID          int64
		HoursBilled json.Number `json:"hours_billed"`
		Amount      json.Number
		BilledAt    time.Time `json:"billed_at"`
	}
	if err := json.Unmarshal([]byte(chloe.ok("endclient", "hours", "--all", "-o", "json")), &rows); err != nil || len(rows) == 0 {
		t.Fatalf("billed hours: %v", err)
	}
	for _, r := range rows {
		item := emu.Record("BillingItems", r.ID)
		posted, _ := time.Parse(time.RFC3339, item["postedOnTime"].(string))
		if item["timeEntryID"] == nil || string(r.HoursBilled) != fmt.Sprintf("%.2f", item["quantity"]) ||
			string(r.Amount) != fmt.Sprintf("%.2f", item["extendedPrice"]) || !r.BilledAt.Equal(posted.Truncate(time.Second)) {
			t.Errorf("row %+v of item %v: want labour, hours = quantity, amount = extendedPrice, billed_at = postedOnTime", r, item)
		}
	}
	if out := chloe.ok("endclient", "charges", "-o", "csv", "--columns", "project_number,kind,quantity,amount"); !strings.Contains(out,
		"P20260201.0005,expense,2.00,91.00\n") {
		t.Errorf("the expense is a charge, shown apart:\n%s", out)
	}
	if out := chloe.ok("endclient", "projects", "-o", "csv", "--columns", "number,billed_hours"); !strings.Contains(out, "P20260201.0005,3.10") {
		t.Errorf("end-client projects count labour hours only (3.00 + 0.10, not the expense's 2 units):\n%s", out)
	}
}

// Autotask down: the copy keeps being served, with its age; writes, which
// need Autotask, fail clearly.
func TestAutotaskDownServesTheCopy(t *testing.T) {
	s, emu := startAutotask(t)
	ben := login(t, s, "ben")
	emu.SetDown(true)
	time.Sleep(2500 * time.Millisecond) // two failed passes
	if out := ben.ok("projects", "list", "-o", "csv", "--columns", "number"); !strings.Contains(out, "P20260105.0001") {
		t.Errorf("projects while Autotask is down:\n%s", out)
	}
	body := waitReady(t, s)
	if age, _ := body["data_age_seconds"].(float64); age < 2 {
		t.Errorf("readyz while Autotask is down: %v, want the copy's age of 2 s or more", body)
	}
	ben.fails(1, []string{"Autotask", "temporarily unavailable"}, "issue", "new", "--project", "P20260105.0001", "--title", "Down")
	emu.SetDown(false)

	emu.FailNext(20, 500, "Object reference not set to an instance of an object.")
	ben.fails(1, []string{"Autotask", "Object reference not set"}, "issue", "new", "--project", "P20260105.0001", "--title", "Oops")
	emu.FailNext(0, 0)
	if strings.Contains(s.logs.String(), autotasktest.Credentials.Secret) {
		t.Error("portald logged the Autotask secret")
	}
}

// Autotask's request limit reached (429): a write gets exit 7.
func TestAutotaskLimitReachedIsRateLimited(t *testing.T) {
	s, emu := startAutotask(t)
	ben := login(t, s, "ben")
	emu.FailNext(50, http.StatusTooManyRequests, "The request threshold has been reached.")
	r := ben.run("", "issue", "new", "--project", "P20260105.0001", "--title", "Later")
	if r.Code != 7 || !strings.Contains(r.Stderr, "limit") {
		t.Fatalf("a write while Autotask answers 429: %+v", r)
	}
}

func TestAutotaskCredentialsAreCheckedBeforeServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "portal.db")
	r := portaldRun(t, "", nil, "serve", "--db", db, "--store", "autotask", "--addr", "127.0.0.1:0")
	if r.Code != 2 || !strings.Contains(r.Stderr, "set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE") {
		t.Errorf("no credentials: %+v", r)
	}
	cfg := filepath.Join(dir, "autotask.json")
	writeFile(t, cfg, `{"username": "u", "secret": "s", "integration_code": "c"}`, 0o644)
	r = portaldRun(t, "", nil, "serve", "--db", db, "--store", "autotask", "--autotask-config", cfg, "--addr", "127.0.0.1:0")
	if r.Code != 1 || !strings.Contains(r.Stderr, "run: chmod 600 "+cfg) {
		t.Errorf("a config file others can read: %+v", r)
	}
	r = portaldRun(t, "", nil, "serve", "--db", db, "--store", "autotsk")
	if r.Code != 2 || !strings.Contains(r.Stderr, `--store "autotsk": choose db or autotask`) {
		t.Errorf("a mistyped store: %+v", r)
	}
}

func countTitled(records []map[string]any, title string) int {
	n := 0
	for _, r := range records {
		if r["title"] == title {
			n++
		}
	}
	return n
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}
