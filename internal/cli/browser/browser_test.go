package browser

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// $BROWSER is a command line; the URL is its last argument, and what it
// prints goes to stderr.
func TestBrowseRunsBROWSER(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "fake-browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"$1 $2\" > "+got+"\necho opening\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	env := map[string]string{"BROWSER": script + " --new-window"}
	if err := System(func(k string) string { return env[k] }, &stderr).Browse("https://portal.example.com/projects/1"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(got)
	if strings.TrimSpace(string(b)) != "--new-window https://portal.example.com/projects/1" {
		t.Errorf("browser got %q", b)
	}
	if stderr.String() != "opening\n" {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestBrowseWithoutBrowser(t *testing.T) {
	env := map[string]string{"BROWSER": "/nonexistent/browser"}
	err := System(func(k string) string { return env[k] }, &bytes.Buffer{}).Browse("https://x")
	if err == nil || !strings.Contains(err.Error(), "cannot open a browser") {
		t.Errorf("err = %v", err)
	}
}
