package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/testutil/secretservice"
)

// bashCompletion is where Debian's bash-completion package puts the
// helpers cobra's bash script uses (_get_comp_words_by_ref).
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// TestBashCompletion sources the checked-in completions/portalctl.bash in a
// real bash and presses TAB: static words, flag values, and project numbers
// fetched from a running portald.
func TestBashCompletion(t *testing.T) {
	if _, err := os.Stat(bashCompletion); err != nil {
		if os.Getenv(secretservice.RequireEnv) != "" { // set in CI: nothing may be skipped there
			t.Fatal("bash-completion is not installed (apt-get install bash-completion)")
		}
		t.Skip("bash-completion is not installed (apt-get install bash-completion)")
	}
	script, err := filepath.Abs("../../completions/portalctl.bash")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t)
	ava := s.newUser(t, "ava").login()
	nobody := s.newUser(t, "nobody")
	nobody.env = append(nobody.env, "PORTALCTL_HOST="+s.URL)

	tests := []struct {
		u    *user
		line string
		want []string
		not  []string
	}{
		{ava, "portalctl pro", []string{"projects"}, nil},
		{ava, "portalctl projects ", []string{"list", "view", "schedule", "calendar"}, []string{"environment"}},
		{ava, "portalctl projects view ", []string{"P20260105.0001", "P20260110.0002"}, []string{"P20251101.0003"}},
		{ava, "portalctl projects list --org ", []string{"all", "own", "101"}, nil},
		{ava, "portalctl projects list -o ", []string{"table", "csv", "tsv", "json", "ndjson"}, nil},
		{ava, "portalctl projects list --columns number,na", []string{"number,name"}, nil},
		{ava, "portalctl tasks view T2026010", []string{"T20260105.0002"}, nil},
		{nobody, "portalctl projects view ", nil, []string{"P20260105.0001", "error"}},
	}
	for _, tt := range tests {
		t.Run(tt.u.name+" "+tt.line, func(t *testing.T) {
			got := complete(t, tt.u, script, tt.line)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("TAB after %q offered %q, want %q among them", tt.line, got, w)
				}
			}
			for _, w := range tt.not {
				for _, g := range got {
					if strings.Contains(g, w) {
						t.Errorf("TAB after %q offered %q", tt.line, g)
					}
				}
			}
		})
	}
}

// complete asks bash for the completions of line, the way readline would
// on TAB, and returns COMPREPLY.
func complete(t *testing.T, u *user, script, line string) []string {
	t.Helper()
	program := `
source ` + bashCompletion + `
source "$SCRIPT"
COMP_LINE="$LINE"
COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__start_portalctl portalctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
`
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", program)
	cmd.Env = append(slices.Clone(u.env), "SCRIPT="+script, "LINE="+line, "PATH="+bin+":"+os.Getenv("PATH"))
	cmd.Dir = u.home
	// Only stdout: compopt complains on stderr outside a real TAB press.
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash completion of %q: %v", line, err)
	}
	var words []string
	for _, w := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// bash shows "number\,name"; the word the user gets is number,name.
		if w = strings.ReplaceAll(strings.TrimSpace(w), `\`, ""); w != "" {
			words = append(words, w)
		}
	}
	return words
}
