package portald

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/postgres"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
)

// TestPostgresDataCommands: import, export and demo work on a postgres://
// --db without ever printing its password, and SQLite's data round-trips
// through PostgreSQL unchanged.
func TestPostgresDataCommands(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.NewDatabase(t)
	withPassword := strings.Replace(pg, "postgres@", "postgres:s3cret@", 1)
	file, fromSQLite := sqliteDemoExport(t)
	out, errs, code := run(t, ctx, "", "import", "--db", withPassword, file)
	if code != 0 || !strings.Contains(out, "8 projects") || !strings.Contains(out, "postgres:xxxxx@") || strings.Contains(out, "s3cret") {
		t.Fatalf("import: %d %q %s (want the URL without its password)", code, out, errs)
	}
	if fromPG, errs, _ := run(t, ctx, "", "export", "--db", pg); fromPG != fromSQLite {
		t.Fatalf("PostgreSQL exports other data than SQLite imported (%s):\n%s", errs, firstDiff(fromSQLite, fromPG))
	}
	_, errs, code = run(t, ctx, "", "demo", "--db", withPassword)
	if code != 1 || !strings.Contains(errs, "already holds portal data") || strings.Contains(errs, "s3cret") {
		t.Errorf("demo on a filled database: %d %q (want exit 1, no password shown)", code, errs)
	}
	_, errs, code = run(t, ctx, "", "export", "--db", "postgres://postgres:s3cret@127.0.0.1:1/none?sslmode=disable&connect_timeout=5")
	if code != 1 || !strings.Contains(errs, "cannot open database postgres://postgres:xxxxx@127.0.0.1:1/none") || strings.Contains(errs, "s3cret") {
		t.Errorf("unreachable server: %d %q", code, errs)
	}
}

// TestPostgresTwoInstances: two portald serve on one database share their
// state: a token made with `portald token create` works on both and, once
// revoked, on neither; an issue filed on both with one Idempotency-Key
// exists once; 200 queued emails are each sent exactly once.
func TestPostgresTwoInstances(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.NewDatabase(t)
	file, _ := sqliteDemoExport(t)
	if _, errs, code := run(t, ctx, "", "import", "--db", pg, file); code != 0 {
		t.Fatal(errs)
	}
	st, err := postgres.Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	for i := range 200 {
		if _, err := st.EnqueueEmail(ctx, store.Email{Kind: "notification", To: []string{"ben@example.com"}, Subject: fmt.Sprint("email ", i),
			Body: "b", CreatedAt: now, NextAttemptAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	mail := smtptest.New(t)
	smtpFlags := []string{"--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(mail.Port), "--smtp-from", "portal@example.com",
		"--smtp-starttls=false"}
	a, b := startServe(t, pg, smtpFlags...), startServe(t, pg, smtpFlags...)

	// Login attempts are counted in the database: five failed ones spread
	// over both instances use up the limit (5 a minute) on both.
	for i, addr := range []string{a, b, a, b, a} {
		if got, _ := login(t, addr, "adam", "wrong-password"); got != http.StatusUnauthorized {
			t.Fatalf("failed login %d: %d, want 401", i+1, got)
		}
	}
	if got, hdr := login(t, b, "adam", "wrong-password"); got != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" {
		t.Errorf("6th login, on the other instance: %d, Retry-After %q (want 429 with Retry-After)", got, hdr.Get("Retry-After"))
	}

	tok, errs, code := run(t, ctx, "", "token", "create", "--db", pg, "--username", "ben", "--name", "ci")
	if code != 0 {
		t.Fatal(errs)
	}
	tok = strings.TrimSpace(tok)
	for _, addr := range []string{a, b} {
		if got, _ := call(t, "GET", addr+"/v1/me", tok, nil, ""); got != http.StatusOK {
			t.Errorf("%s/v1/me with a new token: %d", addr, got)
		}
	}

	issue := `{"title":"Printer offline","priority":"high"}`
	statusA, bodyA := call(t, "POST", a+"/v1/projects/1/issues", tok, map[string]string{"Idempotency-Key": "k-1"}, issue)
	statusB, bodyB := call(t, "POST", b+"/v1/projects/1/issues", tok, map[string]string{"Idempotency-Key": "k-1"}, issue)
	if statusA != http.StatusCreated || statusB != http.StatusOK || bodyA != bodyB {
		t.Errorf("issue filed on both: %d %s / %d %s (want 201 then a 200 replay of it)", statusA, bodyA, statusB, bodyB)
	}
	if _, list := call(t, "GET", b+"/v1/projects/1/issues", tok, nil, ""); strings.Count(list, "Printer offline") != 1 {
		t.Errorf("issues after filing on both instances: %s", list)
	}

	list, _, _ := run(t, ctx, "", "token", "list", "--db", pg, "--username", "ben")
	id := strings.Fields(strings.Split(list, "\n")[1])[0]
	if _, errs, code := run(t, ctx, "", "token", "revoke", "--db", pg, id); code != 0 {
		t.Fatal(errs)
	}
	for _, addr := range []string{a, b} {
		if got, _ := call(t, "GET", addr+"/v1/me", tok, nil, ""); got != http.StatusUnauthorized {
			t.Errorf("%s/v1/me with a revoked token: %d, want 401", addr, got)
		}
	}

	// Both instances keep identities in memory; a password reset (which
	// revokes the user's tokens) and a new security level from an import
	// still reach the very next request on each.
	adam := createToken(t, pg, "adam")
	meOnBoth(t, a, b, adam, http.StatusOK, `"name":"advanced"`)
	if _, errs, code := run(t, ctx, "a-new-password", "user", "set-password", "--db", pg, "--username", "adam", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	meOnBoth(t, a, b, adam, http.StatusUnauthorized, "")
	chloe := createToken(t, pg, "chloe")
	meOnBoth(t, a, b, chloe, http.StatusOK, `"name":"advanced"`)
	if _, errs, code := run(t, ctx, "", "import", "--db", pg, withLevel(t, file, "chloe", "Read Only Projects")); code != 0 {
		t.Fatal(errs)
	}
	meOnBoth(t, a, b, chloe, http.StatusOK, `"name":"Read Only Projects"`)

	mail.WaitFor(t, 200)
	sent := 0
	for deadline := time.Now().Add(30 * time.Second); sent < 200 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		sent = 0
		if err := st.Emails(ctx, store.EmailSent, func(store.Email) error { sent++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if sent != 200 {
		t.Errorf("%d of 200 emails recorded as sent", sent)
	}
	subjects := mail.WaitFor(t, 200) // every delivery is recorded: a duplicate would be in by now
	for i := range 200 {
		if n := subjects[fmt.Sprint("email ", i)]; n != 1 {
			t.Errorf("email %d delivered %d times", i, n)
		}
	}
}

// createToken creates a token for username with `portald token create`.
func createToken(t *testing.T, db, username string) string {
	t.Helper()
	tok, errs, code := run(t, context.Background(), "", "token", "create", "--db", db, "--username", username, "--name", "ci")
	if code != 0 {
		t.Fatal(errs)
	}
	return strings.TrimSpace(tok)
}

// meOnBoth asks both instances for /v1/me with token: each must answer
// status, with want in the body.
func meOnBoth(t *testing.T, a, b, token string, status int, want string) {
	t.Helper()
	for _, addr := range []string{a, b} {
		if got, body := call(t, "GET", addr+"/v1/me", token, nil, ""); got != status || !strings.Contains(body, want) {
			t.Errorf("%s/v1/me: %d %s; want %d with %s", addr, got, body, status, want)
		}
	}
}

// withLevel writes a copy of the export file with username's security
// level set to level, and returns its name.
func withLevel(t *testing.T, file, username, level string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range d["contacts"].([]any) {
		if c := c.(map[string]any); c["username"] == username {
			c["security_level"], found = level, true
		}
	}
	if !found {
		t.Fatalf("no contact %q in %s", username, file)
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "changed.json")
	if err := os.WriteFile(changed, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return changed
}

// sqliteDemoExport exports a SQLite demo database to a file (importing it is
// much faster than `portald demo`, which hashes passwords) and returns the
// file and its content.
func sqliteDemoExport(t *testing.T) (string, string) {
	t.Helper()
	data, errs, code := run(t, context.Background(), "", "export", "--db", demoDB(t))
	if code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(t.TempDir(), "demo.json")
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, data
}

// startServe runs `portald serve` on db (with more flags) until the test ends and returns its
// base URL.
func startServe(t *testing.T, db string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var errb syncBuffer
	var code int
	exited := make(chan struct{})
	go func() {
		code = Run(ctx, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--log-format", "text"}, flags...),
			IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &errb})
		close(exited)
	}()
	t.Cleanup(func() {
		cancel()
		<-exited
		if code != 0 {
			t.Errorf("serve exited %d: %s", code, errb.String())
		}
	})
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	for range 500 {
		if found := addr.FindString(errb.String()); found != "" {
			return found
		}
		select {
		case <-exited:
			t.Fatalf("serve stopped: %s", errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no address printed: %s", errb.String())
	return ""
}

// call sends one request with a bearer token and returns status and body.
func call(t *testing.T, method, url, token string, header map[string]string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// login posts a username and password to POST /v1/auth/tokens.
func login(t *testing.T, base, username, password string) (int, http.Header) {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)
	res, err := http.Post(base+"/v1/auth/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header
}

// firstDiff shows the first line where two outputs differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return "want: " + w[i] + "\n got: " + g[i]
		}
	}
	return "lengths differ"
}
