package e2e_test

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritesPrintTheResultingRecord: commands that change something print
// what they made, and the retry-safe ones are safe to repeat.
func TestWritesPrintTheResultingRecord(t *testing.T) {
	s := startServer(t)
	ben := s.newUser(t, "ben").login()

	note := ben.jsonRecord("", "projects", "note", "add", "P20260105.0001", "--title", "Access", "--body", "VPN works")
	if note["title"] != "Access" || note["author"] != "Ben Ode" {
		t.Errorf("note add printed %v", note)
	}
	reply := ben.jsonRecord("", "tasks", "note", "T20260105.0001", "--subject", "Count", "--message", "We need 42")
	if reply["subject"] != "Count" || reply["body"] != "We need 42" {
		t.Errorf("tasks note printed %v", reply)
	}
	done := ben.jsonRecord("", "tasks", "complete", "T20260105.0006")
	if done["status"] != "complete" || done["already_complete"] != false || done["completed_by"] != "Ben Ode" {
		t.Errorf("tasks complete printed %v", done)
	}
	if again := ben.jsonRecord("", "tasks", "complete", "T20260105.0006"); again["already_complete"] != true || again["completed_at"] != done["completed_at"] {
		t.Errorf("completing twice changed something: %v", again)
	}
	mail := ben.jsonRecord("Please call me.\n", "team", "email", "--project", "P20260105.0001", "--subject", "Call", "--body-file", "-")
	if rcpt, _ := mail["recipients"].([]any); len(rcpt) == 0 || !strings.Contains(strings.Join(toStrings(rcpt), ","), "priya@northwind-it.example") {
		t.Errorf("team email printed %v", mail)
	}
	if out := ben.ok("tasks", "reply", "T20260105.0001"); !strings.HasPrefix(out, "mailto:") || !strings.Contains(out, "T20260105.0001") {
		t.Errorf("tasks reply printed %q", out)
	}

	// attachment download: the file, exactly as listed (size and SHA-256).
	meta := ben.jsonRows("projects", "attachments", "P20260105.0001")
	ben.ok("attachment", "download", "900", "-O", "plan.txt")
	content := readFile(t, filepath.Join(ben.home, "plan.txt"))
	sum := sha256.Sum256([]byte(content))
	if len(meta) == 0 || meta[0]["sha256"] != hex.EncodeToString(sum[:]) {
		t.Errorf("downloaded plan.txt does not match its listed SHA-256: %v", meta)
	}
	if out := ben.ok("attachment", "download", "900", "-O", "-"); out != content {
		t.Errorf("-O - printed %q, want the file", out)
	}

	if me := ben.jsonRecordRaw(ben.ok("api", "/v1/me")); me["user"].(map[string]any)["username"] != "ben" {
		t.Errorf("api /v1/me: %v", me)
	}
	ben.ok("config", "set", "output", "json")
	if out := ben.ok("config", "get", "output"); strings.TrimSpace(out) != "json" {
		t.Errorf("config get output = %q", out)
	}
	if out := ben.ok("projects", "list"); !strings.HasPrefix(out, "[") {
		t.Errorf("config output=json not used: %q", out)
	}
	if out := ben.ok("version"); !strings.Contains(out, "portalctl") {
		t.Errorf("version: %q", out)
	}
}

// TestUserErrors: every mistake a user can make gets its documented exit
// code, an "error:" line on stderr that says what to do, and no stdout.
func TestUserErrors(t *testing.T) {
	s := startServer(t)
	ava, ben, chloe := s.newUser(t, "ava").login(), s.newUser(t, "ben").login(), s.newUser(t, "chloe").login()
	nobody := s.newUser(t, "nobody")
	nobody.env = append(nobody.env, "PORTALCTL_HOST="+s.URL)

	tests := []struct {
		u     *user
		code  int
		hints []string
		args  []string
	}{
		{nobody, 4, []string{"auth login"}, []string{"projects", "list"}},
		{ben, 2, []string{"--limit"}, []string{"projects", "list", "--limit", "0"}},
		{ben, 2, []string{"unknown command", "frobnicate"}, []string{"projects", "frobnicate"}},
		{ben, 2, []string{"table", "csv"}, []string{"projects", "list", "-o", "xml"}},
		{ava, 2, []string{"Contoso Logistics"}, []string{"projects", "list", "--org", "Nowhere"}},
		{chloe, 2, []string{"Tailspin Dental"}, []string{"endclient", "projects", "--client", "Nowhere"}},
		{ava, 3, []string{"not found"}, []string{"projects", "view", "P29990101.0001"}},
		{ben, 3, []string{"not found"}, []string{"projects", "view", "P20260110.0002"}},
		{ben, 5, []string{"billing organization"}, []string{"endclient", "projects"}},
		{ben, 5, []string{"contact"}, []string{"tasks", "complete", "T20260105.0002"}},
		{chloe, 5, []string{"endclient view"}, []string{"projects", "notes", "P20260201.0005"}},
		{ava, 6, []string{"complete"}, []string{"issue", "new", "--project", "P20251101.0003", "--title", "Late"}},
		{ben, 2, []string{"--title"}, []string{"issue", "new", "--project", "P20260105.0001"}},
		{ben, 2, []string{"blank"}, []string{"projects", "note", "add", "P20260105.0001", "--title", "x", "--body", " "}},
	}
	for _, tt := range tests {
		t.Run(tt.u.name+" "+join(tt.args), func(t *testing.T) {
			tt.u.t = t
			tt.u.fails(tt.code, tt.hints, tt.args...)
		})
	}

	t.Run("logout revokes the token on the server", func(t *testing.T) {
		ben.t = t
		secret := strings.TrimSpace(ben.ok("auth", "token"))
		ben.ok("auth", "logout")
		ben.fails(4, nil, "projects", "list")
		ci := s.newUser(t, "ci")
		ci.env = append(ci.env, "PORTALCTL_HOST="+s.URL, "PORTALCTL_TOKEN="+secret)
		ci.fails(4, nil, "projects", "list")
	})
}

func toStrings(v []any) []string {
	var out []string
	for _, x := range v {
		out = append(out, x.(string))
	}
	return out
}
