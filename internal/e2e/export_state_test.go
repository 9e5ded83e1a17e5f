package e2e_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/testutil/ledgertest"
	"github.com/portalctl/portalctl/pkg/api"
)

// exportJob is one cron job of TestExportSurvivesKill9: a state file and
// either one --append file or a file per run.
type exportJob struct {
	state  string
	append bool
	runs   int
	files  []string // every output file it may have, in run order
}

func (j *exportJob) args(dir string) []string {
	j.runs++
	out := filepath.Join(dir, filepath.Base(j.state)+".csv")
	if !j.append {
		out = filepath.Join(dir, fmt.Sprintf("%s-%03d.csv", filepath.Base(j.state), j.runs))
	}
	if len(j.files) == 0 || j.files[len(j.files)-1] != out {
		j.files = append(j.files, out)
	}
	args := []string{"endclient", "hours", "-o", "csv", "--tz", "UTC", "--columns", ledgertest.Columns,
		"--state", j.state, "--output-file", out}
	if j.append {
		args = append(args, "--append")
	}
	return args
}

// TestExportSurvivesKill9: portalctl endclient hours --state is killed with
// SIGKILL at random points of its runs (before, while and after the rows
// stream, while it commits), and portald once mid-run, while imports of
// new (older ids, any date) and corrected items land. After a last run of
// each job, its files booked in run order hold every item as it stands,
// once: nothing lost, nothing twice. No temporary file is left.
func TestExportSurvivesKill9(t *testing.T) {
	db := demoDB(t, "--billing-items", "20000")
	token := mintToken(t, db, "chloe")
	addr := freeAddr(t)
	d := startDaemon(t, db, "--addr", addr)
	dir := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "TZ=UTC",
		"PORTALCTL_HOST=" + d.URL, "PORTALCTL_TOKEN=" + token}
	var base map[string]any
	if err := json.Unmarshal([]byte(portaldOK(t, "export", "--db", db)), &base); err != nil {
		t.Fatal(err)
	}
	items := base["billing_items"].([]any)
	changed := map[int64]bool{}
	rng := rand.New(rand.NewPCG(9, 15))
	// land imports a few new items (ids below and above the others, any
	// date) and corrections of a few existing ones.
	land := func(round int) {
		var inc []any
		for k := range 3 {
			id := 900000 + round*10 + k
			if k == 0 {
				id = 50 + round // an older id, posted late
			}
			inc = append(inc, map[string]any{"id": id, "project_id": 5, "contract_id": 501, "resource_id": 9002,
				"worked_date": fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)), "hours_worked": 2, "hours_billed": 1.5, "rate": 100})
		}
		for range 2 {
			it := items[rng.IntN(len(items))].(map[string]any)
			it["hours_billed"] = float64(rng.IntN(8)) / 4
			changed[int64(it["id"].(float64))] = true
			inc = append(inc, it)
		}
		file := filepath.Join(dir, fmt.Sprintf("inc-%d.json", round))
		data := map[string]any{}
		for k, v := range base {
			data[k] = v
		}
		data["billing_items"] = inc
		b, _ := json.Marshal(data)
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		portaldOK(t, "import", "--db", db, file)
	}
	jobs := []*exportJob{{state: filepath.Join(dir, "ledger.state"), append: true}, {state: filepath.Join(dir, "files.state")}}
	killed, restarted := 0, false
	for round := range 16 {
		if round%2 == 0 {
			land(round)
		}
		j := jobs[round%2]
		cmd := exec.Command(filepath.Join(bin, "portalctl"), j.args(dir)...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		switch {
		case round == 9: // portald dies mid-run and comes back on the same address
			time.Sleep(time.Duration(rng.IntN(80)) * time.Millisecond)
			d.kill()
			d = startDaemon(t, db, "--addr", addr)
			restarted = true
			cmd.Wait()
		case rng.IntN(4) > 0:
			time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
			cmd.Process.Kill()
			cmd.Wait()
			killed++
		default:
			if err := cmd.Wait(); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
	for _, j := range jobs { // last runs, undisturbed
		cmd := exec.Command(filepath.Join(bin, "portalctl"), j.args(dir)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("last run of %s: %v\n%s", j.state, err, out)
		}
	}
	now := filepath.Join(dir, "now.csv")
	cmd := exec.Command(filepath.Join(bin, "portalctl"), "endclient", "hours", "-o", "csv", "--tz", "UTC",
		"--columns", ledgertest.Columns, "--output-file", now)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("full export: %v\n%s", err, out)
	}
	rows := ledgertest.Rows(t, now)
	for _, j := range jobs {
		l := ledgertest.Replay(t, j.files...)
		l.Check(t, filepath.Base(j.state), rows, func(api.BilledHoursRow) bool { return true }, func(id int64) bool { return changed[id] })
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".pending-") || strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	t.Logf("%d runs killed, portald restarted mid-run: %v, %d rows now", killed, restarted, len(rows))
}

// TestReadmeCronRecipe runs the README's cron line, exactly as written (all
// columns),
// twice in a row with an import between, and books the file as a ledger:
// every row is there once, none lost.
func TestReadmeCronRecipe(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "bin/portalctl endclient hours") && strings.Contains(l, "--state") {
			line = l
		}
	}
	if line == "" {
		t.Fatal("README.md has no `bin/portalctl endclient hours … --state` line")
	}
	s := startServer(t)
	dir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(dir, "bin")); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "TZ=UTC",
		"PORTALCTL_HOST=" + s.URL, "PORTALCTL_TOKEN=" + mintToken(t, s.DB, "chloe")}
	cron := func() {
		t.Helper()
		cmd := exec.Command("bash", "-c", line)
		cmd.Env, cmd.Dir = env, dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
	}
	cron()
	var base map[string]any
	if err := json.Unmarshal([]byte(portaldOK(t, "export", "--db", s.DB)), &base); err != nil {
		t.Fatal(err)
	}
	base["billing_items"] = []any{map[string]any{"id": 60001, "project_id": 5, "task_id": 104, "resource_id": 9002, "contract_id": 501,
		"worked_date": "2026-02-03", "hours_worked": 3.5, "hours_billed": 2.5, "rate": 150, "description": "Rack move"},
		map[string]any{"id": 59999, "project_id": 8, "contract_id": 502, "worked_date": "2025-12-24", "hours_worked": 1, "hours_billed": 1}}
	inc, _ := json.Marshal(base)
	incFile := filepath.Join(dir, "inc.json")
	if err := os.WriteFile(incFile, inc, 0o600); err != nil {
		t.Fatal(err)
	}
	portaldOK(t, "import", "--db", s.DB, incFile)
	cron()
	files, _ := filepath.Glob(filepath.Join(dir, "hours-*.csv"))
	now := filepath.Join(dir, "now.csv")
	cmd := exec.Command(filepath.Join(bin, "portalctl"), "endclient", "hours", "-o", "csv", "--tz", "UTC", "--columns", ledgertest.Columns, "--output-file", now)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("full export: %v\n%s", err, out)
	}
	l := ledgertest.Replay(t, files...)
	l.Check(t, "README cron", ledgertest.Rows(t, now), func(api.BilledHoursRow) bool { return true }, func(id int64) bool { return id == 60001 })
	if l.Rows[60001] != 3 || l.Rows[59999] != 1 {
		t.Errorf("the second run should book the correction of 60001 (3 rows) and the new 59999 (1): %v", l.Rows)
	}
}
