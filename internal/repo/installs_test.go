package repo

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// installer is a command that installs system-wide packages.
var installer = regexp.MustCompile(`\b(apt-get|apt|dnf|yum|apk|brew)\s+(-\S+\s+)*install\b|\bnpm\s+(-\S+\s+)*(install|i)\s+(-\S+\s+)*-g\b`)

// TestMakeTestInstallsNothing: nothing make test runs (the Makefile, the
// bench scripts, the scripts) installs a system package; only .ci/run, on
// CI's machine, does. A missing tool is a skip with a reason instead.
func TestMakeTestInstallsNothing(t *testing.T) {
	files := repoFiles(t, func(rel string) bool {
		return rel == "Makefile" || strings.HasPrefix(rel, "bench/") && strings.HasSuffix(rel, ".sh") ||
			strings.HasPrefix(rel, "scripts/") && strings.HasSuffix(rel, ".sh")
	})
	for _, rel := range files {
		for i, line := range strings.Split(read(t, rel), "\n") {
			if code, _, _ := strings.Cut(line, "#"); installer.MatchString(code) {
				t.Errorf("%s:%d installs a system package: %s (only .ci/run may; skip when the tool is missing)", rel, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestBenchSmokeSkipsMissingTools runs a bench script on a PATH without
// hyperfine: in a smoke run it skips with a line saying why (exit 0), and
// fails when PORTALCTL_TEST_NO_SKIP=1 (CI) or outside a smoke run.
func TestBenchSmokeSkipsMissingTools(t *testing.T) {
	bin := t.TempDir()
	for _, tool := range []string{"bash", "basename", "dirname", "mktemp", "rm", "cat"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s is not installed", tool)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	script, err := filepath.Abs(filepath.Join(root, "bench", "startup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(env ...string) (int, string) {
		cmd := exec.Command(filepath.Join(bin, "bash"), script)
		cmd.Env = append([]string{"PATH=" + bin, "HOME=" + t.TempDir()}, env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), stderr.String()
	}

	code, stderr := run("SMOKE=1")
	if code != 0 || !strings.Contains(stderr, "bench: skipping the rest of startup.sh: it needs hyperfine") {
		t.Errorf("smoke run without hyperfine: exit %d, stderr %q; want exit 0 and a line saying what is skipped and why", code, stderr)
	}
	code, stderr = run("SMOKE=1", "PORTALCTL_TEST_NO_SKIP=1")
	if code == 0 || !strings.Contains(stderr, "needs hyperfine") {
		t.Errorf("smoke run without hyperfine under PORTALCTL_TEST_NO_SKIP=1: exit %d, stderr %q; want a failure naming hyperfine", code, stderr)
	}
	code, stderr = run()
	if code == 0 || !strings.Contains(stderr, "needs hyperfine") {
		t.Errorf("make bench without hyperfine: exit %d, stderr %q; want a failure naming hyperfine", code, stderr)
	}
}
