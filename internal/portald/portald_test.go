package portald

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/testutil/pgtest"
)

// run executes portald with args and returns stdout, stderr and the code.
func run(t *testing.T, ctx context.Context, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(ctx, args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return out.String(), errb.String(), code
}

var (
	demoOnce     sync.Once
	demoTemplate string
)

// demoDB returns a fresh copy of a demo database. `portald demo` runs once
// per test binary: hashing the demo passwords is deliberately slow.
func demoDB(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portald-demo-*")
		if err != nil {
			t.Fatal(err)
		}
		demoTemplate = filepath.Join(dir, "demo.db")
		if out, errs, code := run(t, context.Background(), "", "demo", "--db", demoTemplate); code != 0 || !strings.Contains(out, "8 projects") {
			t.Fatalf("demo: %d %s %s", code, out, errs)
		}
	})
	db := filepath.Join(t.TempDir(), "demo.db")
	raw, err := os.ReadFile(demoTemplate)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestMain(m *testing.M) {
	code := pgtest.Run(m) // also stops the PostgreSQL server of postgres_test.go
	if demoTemplate != "" {
		os.RemoveAll(filepath.Dir(demoTemplate))
	}
	os.Exit(code)
}

func TestDemoRefusesToOverwrite(t *testing.T) {
	db := demoDB(t)
	_, errs, code := run(t, context.Background(), "", "demo", "--db", db)
	if code != 1 || !strings.Contains(errs, "already holds portal data; use another --db or add --force") {
		t.Fatalf("%d %q", code, errs)
	}
}

func TestImportReportsEveryProblemAndWritesNothing(t *testing.T) {
	db := demoDB(t)
	before, _, _ := run(t, context.Background(), "", "export", "--db", db)
	bad := `{"projects":[{"id":1,"number":"P1","name":"x","organization_id":999,"status":"done"}],"colour":1}`
	out, errs, code := run(t, context.Background(), bad, "import", "--db", db, "-")
	if code != 1 || out != "" {
		t.Fatalf("code %d stdout %q", code, out)
	}
	for _, want := range []string{"colour: unknown key", "projects[0].status: unknown value \"done\"",
		"projects[0].organization_id: no organization with id 999", "error: - is invalid (3 problems); nothing was imported"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if after, _, _ := run(t, context.Background(), "", "export", "--db", db); after != before {
		t.Fatal("a rejected import changed the database")
	}
}

func TestExportImportRoundTripAndAtomicFile(t *testing.T) {
	db := demoDB(t)
	file := filepath.Join(t.TempDir(), "backup.json")
	if _, errs, code := run(t, context.Background(), "", "export", "--db", db, "-o", file); code != 0 {
		t.Fatal(errs)
	}
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	out, errs, code := run(t, context.Background(), "", "import", "--db", fresh, file)
	if code != 0 || !strings.Contains(out, "imported 1 portal, 6 organizations") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	a, _, _ := run(t, context.Background(), "", "export", "--db", db)
	b, _, _ := run(t, context.Background(), "", "export", "--db", fresh)
	if a != b {
		t.Fatal("export → import → export differs")
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	// The export holds password hashes: only its owner reads it.
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file mode %v %v, want 0600", fi.Mode().Perm(), err)
	}
}

func TestTokenLifecycle(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	tok, _, code := run(t, ctx, "", "token", "create", "--db", db, "--username", "ben", "--name", "ci", "--expires", "30d")
	if code != 0 || !regexp.MustCompile(`^pct_[A-Za-z0-9_-]{43}\n$`).MatchString(tok) {
		t.Fatalf("token create printed %q", tok)
	}
	list, _, _ := run(t, ctx, "", "token", "list", "--db", db, "--username", "ben")
	id := strings.Fields(strings.Split(list, "\n")[1])[0]
	if !strings.Contains(list, "ci") {
		t.Fatalf("list: %s", list)
	}
	if _, errs, code := run(t, ctx, "", "token", "revoke", "--db", db, id); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := run(t, ctx, "", "token", "revoke", "--db", db, id); code != 1 || !strings.Contains(errs, "no live token") {
		t.Fatalf("second revoke: %d %s", code, errs)
	}
	for _, args := range [][]string{{"token", "create", "--db", db}, {"token", "create", "--db", db, "--username", "ben", "--expires", "soon"},
		{"token", "revoke", "--db", db, "x"}, {"serve", "--nope"}, {"serve", "--db", db, "--smtp-max-attempts", "0"},
		{"serve", "--db", db, "--smtp-retry-base", "-1s"}} {
		if _, errs, code := run(t, ctx, "", args...); code != 2 || !strings.HasPrefix(errs, "error: ") {
			t.Errorf("%v: code %d, %q (want a usage error, exit 2)", args, code, errs)
		}
	}
	if _, errs, code := run(t, ctx, "", "token", "create", "--db", db, "--username", "dora"); code != 1 || !strings.Contains(errs, "disabled") {
		t.Errorf("token for a disabled user: %d %s", code, errs)
	}
}

func TestSetPasswordFromStdin(t *testing.T) {
	db := demoDB(t)
	if _, errs, code := run(t, context.Background(), "s3cret-pass\n", "user", "set-password", "--db", db, "--username", "ben", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := run(t, context.Background(), "short\n", "user", "set-password", "--db", db, "--username", "ben", "--password-stdin"); code != 1 || !strings.Contains(errs, "at least 8") {
		t.Fatalf("%d %s", code, errs)
	}
	if _, errs, code := run(t, context.Background(), "", "user", "set-password", "--db", db, "--username", "ben"); code != 2 || !strings.Contains(errs, "--password-stdin") {
		t.Fatalf("no terminal: %d %s", code, errs)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	db := demoDB(t)
	t.Setenv("PORTALD_ADDR", "127.0.0.1:0") // flags come from the environment too
	ctx, cancel := context.WithCancel(context.Background())
	var errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--log-format", "text"}, IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &errb})
	}()
	addr := ""
	for i := 0; i < 100 && addr == ""; i++ {
		time.Sleep(20 * time.Millisecond)
		addr = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(errb.String())
	}
	if addr == "" {
		t.Fatalf("no address printed: %s", errb.String())
	}
	res, err := http.Get(addr + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "stopped") {
		t.Fatalf("logs: %s", errb.String())
	}
}

// TestServeRefusesAnInvalidSender (finding 7): a --smtp-from that is not an
// address is refused before serving (exit 2, one line), not per email.
func TestServeRefusesAnInvalidSender(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, from := range []string{"portal", "Portal <portal@northwind-it.example", "portal@northwind-it.example, other@example.com"} {
		_, errs, code := run(t, context.Background(), "", "serve", "--db", db, "--addr", "127.0.0.1:0",
			"--smtp-host", "127.0.0.1", "--smtp-from", from)
		if code != 2 || !strings.HasPrefix(errs, "error: --smtp-from ") || strings.Count(errs, "\n") != 1 ||
			strings.Contains(errs, "listening") {
			t.Errorf("--smtp-from %q: exit %d, stderr %q; want 2 and one line naming --smtp-from, before serving", from, code, errs)
		}
	}
}

func TestServeRejectsBadSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	tests := []struct{ args, want string }{
		{"--log-level loud", `--log-level "loud": choose debug, info, warn or error`},
		{"--rate-limit -1", "--rate-limit must be 0 (no limit) or more"},
		{"--rate-burst 0", "--rate-burst at least 1"},
		{"--email-rate -1", "--email-rate must be 0 (no limit) or more"},
		{"--email-burst 0", "--email-burst at least 1"},
		{"--log-format xml", `--log-format "xml": choose json or text`},
		{"--tls-cert c.pem", "--tls-cert and --tls-key go together"},
		{"--pprof-addr 0.0.0.0:6060", "the profiler listens on loopback only"},
		{"--pprof-addr 6060", "give host:port on loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			_, errs, code := run(t, context.Background(), "", append([]string{"serve", "--db", db}, strings.Fields(tt.args)...)...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errs, tt.want)
			}
		})
	}
}
