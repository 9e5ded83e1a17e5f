package e2e_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCtrlCLeavesNoPartialFile interrupts a billed-hours export while the
// server is still streaming: portalctl exits 130 and neither the output file
// nor its temporary file nor the state file is left behind.
func TestCtrlCLeavesNoPartialFile(t *testing.T) {
	firstRow := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/me" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"user":{"username":"chloe"},"organization":{"id":200,"name":"Fabrikam Partners","time_zone":"UTC"}}`))
			return
		}
		if r.URL.Path != "/v1/end-client/billed-hours" {
			http.Error(w, `{"error":{"code":"not_found","message":"not here"}}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Header().Set("Portal-Feed-Position", "f00d:1")
		w.Write([]byte(`{"id":1,"entry":"new","client_id":300,"client_name":"Tailspin Dental","project_id":5,"project_number":"P1","project_name":"x","task_id":null,"task_number":null,"task_title":null,"resource":null,"worked_date":"2026-02-03","hours_worked":1.00,"hours_billed":1.00,"rate":null,"amount":null,"description":"","billed_at":null}` + "\n"))
		w.(http.Flusher).Flush()
		close(firstRow)
		<-r.Context().Done() // a slow export: the rest never comes
	}))
	defer srv.Close()

	dir := t.TempDir()
	cmd := exec.Command(filepath.Join(bin, "portalctl"), "endclient", "hours", "-o", "json", "--output-file", "hours.json", "--state", "hours.state")
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir, "PORTALCTL_HOST=" + srv.URL, "PORTALCTL_TOKEN=pct_test"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-firstRow:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("portalctl never asked for billed hours")
	}
	time.Sleep(100 * time.Millisecond) // let the row reach portalctl's output file
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("interrupted export: %v (stderr %q), want exit 130", err, stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "hours.state.lock" { // the lock is kept: a lock file must not be removed
			t.Errorf("interrupted export left %s behind", e.Name())
		}
	}
}
