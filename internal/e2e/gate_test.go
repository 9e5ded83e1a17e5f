package e2e_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenTasksGateInAShellIf: `tasks open --exit-status` as a shell if
// and a CI gate use it: ben has tasks waiting (8), bob none (0); the
// list still goes to stdout, nothing to stderr.
func TestOpenTasksGateInAShellIf(t *testing.T) {
	s := startServer(t)
	script := `if "$PORTALCTL" tasks open --exit-status > tasks.txt; then echo "clear"; else echo "waiting $?"; fi; wc -l < tasks.txt`
	for user, want := range map[string][]string{"ben": {"waiting 8", "3"}, "bob": {"clear", "1"}} {
		u := s.newUser(t, user).login()
		cmd := exec.Command("bash", "-c", script)
		cmd.Env = append(u.env, "PORTALCTL="+filepath.Join(bin, "portalctl"))
		cmd.Dir = u.home
		r := runCommand(t, cmd, "")
		if got := strings.Fields(strings.ReplaceAll(r.Stdout, "\n", " | ")); r.Code != 0 || r.Stderr != "" ||
			!strings.HasPrefix(r.Stdout, want[0]+"\n") || strings.TrimSpace(strings.SplitN(r.Stdout, "\n", 2)[1]) != want[1] {
			t.Errorf("%s: exit %d, stdout %q (%v), stderr %q; want %q then %s lines of tasks", user, r.Code, r.Stdout, got, r.Stderr, want[0], want[1])
		}
	}
}
