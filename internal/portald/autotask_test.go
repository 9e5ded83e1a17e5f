package portald

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/atstore/atstoretest"
)

// The mistakes an administrator can make with Autotask settings are
// reported before any call to Autotask, each with what to do.
func TestAutotaskSettingsMistakes(t *testing.T) {
	for _, v := range []string{envAutotaskUsername, envAutotaskSecret, envAutotaskIntegrationCode} {
		t.Setenv(v, "") // as on a machine where they are not set
	}
	db := demoDB(t)
	dir := t.TempDir()
	config := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	badJSON := config("bad.json", `{"username": "u",`)
	partial := config("partial.json", `{"username": "u", "secret": "s"}`)
	complete := config("ok.json", `{"username": "u", "secret": "s", "integration_code": "c"}`)
	link := "user link --db " + db + " --autotask-config " + complete + " "
	tests := []struct {
		args     string
		wantCode int
		want     string
	}{
		{"user link --db " + db, 2, "--contact-id and --username are required"},
		{link + "--contact-id 1002 --username ben --time-zone Mars/Base", 2, `--time-zone "Mars/Base" is not an IANA time zone`},
		{link + "--contact-id 1002 --username ben --security-level gold", 2, `--security-level "gold": choose basic, advanced, manager, or a custom level`},
		{link + "--contact-id 1002 --username AVA", 1, `the username "AVA" is already linked to contact 1001; choose another`},
		{"user link --db " + db + " --contact-id 1002 --username ben", 2, "set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE"},
		{"user link --db " + db + " --contact-id 1002 --username ben --autotask-config " + badJSON, 1, badJSON + " is not valid JSON"},
		{"user link --db " + db + " --contact-id 1002 --username ben --autotask-config " + partial, 1, partial + " needs username, secret and integration_code, each non-empty"},
		{"serve --db " + db + " --store autotask --autotask-config " + complete + " --autotask-hourly-limit 0", 2, "--autotask-hourly-limit must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, errs, code := run(t, context.Background(), "", strings.Fields(tt.args)...)
			if code != tt.wantCode || !strings.HasPrefix(errs, "error: ") || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, tt.wantCode, tt.want)
			}
		})
	}
}

// portald autotask check against the emulator: the tenant lacks nothing,
// and each question gets the emulator's answer (which follows the sources
// the emulator cites; a real tenant may answer otherwise, which is why the
// check exists).
func TestAutotaskCheck(t *testing.T) {
	emu := demoTenant(t)
	emu.SetLatency(50 * time.Millisecond) // the concurrent calls overlap, as on a real tenant
	out, errs, code := run(t, context.Background(), "", "autotask", "check", "--autotask-url", emu.URL())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"What portald needs:\n  all there\n",
		"are its UDFs returned?\n    no: userDefinedFields is left out",
		"fileSize in IncludeFields: refused, or which JSON type?\n    refused: 500",
		"by id alone (no parent): refused?\n    refused: 500",
		"is items a list or an object?\n    an object",
		"two in lists of 500 values: refused?\n    refused: 500",
		"(3 rounds): refused past 3 in one bucket per first path segment?\n    refused: ",
		"Itgenatr005",
		"Tickets.priority picklist\n    12 Low, 15 Medium, 17 High, 19 Critical",
		"TicketNotes.publish picklist\n    1 All Autotask Users, 2 Internal Project Team, 4 Internal & Co-Managed",
		"ClientPortalUsers securityLevel values in use (map them with --autotask-security-levels)\n    21 (4 users), 22 (2 users)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the check does not say %q:\n%s", want, out)
		}
	}
	if n := len(emu.Records("ProjectNotes")); n != 2 {
		t.Errorf("%d project notes after the check, want the 2 seeded", n)
	}
}

// serve --store autotask refuses to start when the tenant lacks what
// portald needs, and says exactly what to create.
func TestServeChecksTheTenant(t *testing.T) {
	emu := atemu.New(atemu.Options{Credentials: atstoretest.Credentials})
	t.Cleanup(emu.Close)
	t.Setenv(envAutotaskUsername, atstoretest.Credentials.Username)
	t.Setenv(envAutotaskSecret, atstoretest.Credentials.Secret)
	t.Setenv(envAutotaskIntegrationCode, atstoretest.Credentials.IntegrationCode)
	db := filepath.Join(t.TempDir(), "portal.db")
	_, errs, code := run(t, context.Background(), "", "serve", "--db", db, "--store", "autotask", "--autotask-url", emu.URL(),
		"--autotask-note-type", "Portal Note", "--addr", "127.0.0.1:0")
	want := "error: the Autotask tenant lacks what portald needs; create these, then start again:\n" +
		`  - ProjectNotes noteType "Portal Note": create a note type named Portal Note (portal notes are filed as it), ` +
		"or pass the label of an existing one with --autotask-note-type\n" +
		`  - TaskNotes noteType "Portal Note": create a note type named Portal Note (portal task notes are filed as it)` + "\n"
	if code != 1 || !strings.HasSuffix(errs, want) { // after the log line naming the API
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
}

// A new password given to user link ends every session of the old one, as
// user set-password does: a link that resets a password after a suspected
// compromise must not leave the tokens issued under it working.
func TestUserLinkNewPasswordRevokesTokens(t *testing.T) {
	emu := demoTenant(t)
	db := demoDB(t)
	ctx := context.Background()
	if _, errs, code := run(t, ctx, "", "token", "create", "--db", db, "--username", "ben", "--name", "laptop"); code != 0 {
		t.Fatal(errs)
	}
	link := []string{"user", "link", "--db", db, "--contact-id", "1002", "--username", "ben", "--autotask-url", emu.URL()}
	_, errs, code := run(t, ctx, "", link...)
	if code != 0 || !strings.Contains(errs, "linked ben") || strings.Contains(errs, "revoked") {
		t.Fatalf("link keeping the password: exit %d: %s", code, errs)
	}
	_, errs, code = run(t, ctx, "a-new-password\n", append(link, "--password-stdin")...)
	if code != 0 || !strings.Contains(errs, "password of ben updated; 1 token(s) revoked") {
		t.Fatalf("link with a new password: exit %d: %s", code, errs)
	}
	if list, _, _ := run(t, ctx, "", "token", "list", "--db", db, "--username", "ben"); strings.Contains(list, "laptop") {
		t.Fatalf("the token issued before the new password is still listed as live:\n%s", list)
	}
}

// demoTenant is an emulated Autotask tenant seeded with the demo data, and
// portald's Autotask credentials for it in the environment.
func demoTenant(t *testing.T) *atemu.Server {
	t.Helper()
	var demo strings.Builder
	if err := dataset.WriteDemo(&demo, dataset.DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	emu := atemu.New(atemu.Options{Credentials: atstoretest.Credentials})
	t.Cleanup(emu.Close)
	if err := emu.Seed([]byte(demo.String())); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envAutotaskUsername, atstoretest.Credentials.Username)
	t.Setenv(envAutotaskSecret, atstoretest.Credentials.Secret)
	t.Setenv(envAutotaskIntegrationCode, atstoretest.Credentials.IntegrationCode)
	return emu
}
