package e2e_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
// portald as the README says: portal settings imported into --db, one
// contact linked with a password, then serve --store autotask. Zone
// discovery runs against the emulator's zoneInformation.
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
	link := []string{"user", "link", "--db", s.DB, "--contact-id", "1002", "--username", "ben", "--password-stdin", "--autotask-discovery-url", strings.TrimSuffix(emu.DiscoveryURL(), "/")}
	if r := portaldRun(t, "portal-pass-1\n", autotaskEnv, link...); r.Code != 0 || !strings.Contains(r.Stderr, "linked ben to Autotask contact 1002 (Ben Ode, Contoso Ltd)") {
		t.Fatalf("user link: %+v", r)
	}
	s.serve(t, autotaskEnv, append([]string{"--store", "autotask", "--autotask-url", emu.URL()}, serveArgs...)...)
	return s, emu
}

func TestAutotaskBridgeServesPortalctl(t *testing.T) {
	s, emu := startAutotask(t)
	ben := s.newUser(t, "ben")
	if r := ben.run("portal-pass-1\n", "auth", "login", "--host", s.URL, "--username", "ben", "--password-stdin", "--insecure-storage"); r.Code != 0 {
		t.Fatalf("login: %+v", r)
	}
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
	ben.ok("tasks", "note", "T20260105.0006", "--subject", "Done on our side", "--message", "Rebooted")
	if n := countTitled(emu.Records("TaskNotes"), "Done on our side"); n != 1 {
		t.Errorf("Autotask holds %d task notes of ben's, want 1", n)
	}

	ben.fails(1, []string{"Autotask", "does not provide"}, "projects", "calendar", "P20260105.0001")

	r := portaldRun(t, "", autotaskEnv, "user", "link", "--db", s.DB, "--contact-id", "99999", "--username", "ghost", "--autotask-url", emu.URL())
	if r.Code != 1 || r.Stderr != "error: no Autotask contact has id 99999; find the id on the contact's page in Autotask\n" {
		t.Errorf("linking a contact Autotask does not have: %+v", r)
	}
	r = portaldRun(t, "", autotaskEnv, "user", "link", "--db", s.DB, "--contact-id", "1006", "--username", "BEN", "--autotask-url", emu.URL())
	if r.Code != 1 || !strings.Contains(r.Stderr, `the username "BEN" is already linked to contact 1002`) {
		t.Errorf("a username taken case-insensitively: %+v", r)
	}
}

func TestAutotaskFaultsAreClearAndNeverEmpty(t *testing.T) {
	s, emu := startAutotask(t)
	ben := s.newUser(t, "ben")
	if r := ben.run("portal-pass-1\n", "auth", "login", "--host", s.URL, "--username", "ben", "--password-stdin", "--insecure-storage"); r.Code != 0 {
		t.Fatalf("login: %+v", r)
	}
	emu.SetDown(true)
	ben.fails(1, []string{"Autotask", "temporarily unavailable"}, "projects", "list")
	emu.SetDown(false)
	ben.ok("projects", "list")

	emu.FailNext(20, 500, "Object reference not set to an instance of an object.")
	ben.fails(1, []string{"Autotask", "Object reference not set"}, "tasks", "open")
	emu.FailNext(0, 0)
	if out := ben.ok("tasks", "open", "-o", "csv", "--columns", "number"); !strings.Contains(out, "T20260105.0006") {
		t.Errorf("after the fault: %q", out)
	}
	if strings.Contains(s.logs.String(), autotasktest.Credentials.Secret) {
		t.Error("portald logged the Autotask secret")
	}
}

// portald's own hourly budget of Autotask calls: once spent, requests are
// 429 rate_limited (portalctl exit 7) until calls leave the hour's window.
func TestAutotaskBudgetSpentIsRateLimited(t *testing.T) {
	s, _ := startAutotask(t, "--autotask-hourly-limit", "12")
	ben := s.newUser(t, "ben")
	if r := ben.run("portal-pass-1\n", "auth", "login", "--host", s.URL, "--username", "ben", "--password-stdin", "--insecure-storage"); r.Code != 0 {
		t.Fatalf("login: %+v", r)
	}
	for i := 0; ; i++ {
		r := ben.run("", "projects", "list")
		if r.Code == 0 && i < 12 {
			continue
		}
		if r.Code != 7 || !strings.Contains(r.Stderr, "budget") || !strings.Contains(r.Stderr, "limiting requests") {
			t.Fatalf("run %d after the budget: %+v", i, r)
		}
		break
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
