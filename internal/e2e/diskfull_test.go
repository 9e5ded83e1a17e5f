package e2e_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallDisk mounts a 3 MiB tmpfs for the test and unmounts it afterwards:
// a real file system that fills up. Mounting needs root (CI runs as root);
// elsewhere the test is skipped, unless PORTALCTL_TEST_NO_SKIP is set.
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot mount a small tmpfs (needs root): %v %s", err, out)
		if os.Getenv("PORTALCTL_TEST_NO_SKIP") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fill writes a file into dir until the file system is full.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			return path
		}
	}
}

// TestDiskFull (issue 17, adversary finding 17): the disk holding the SQLite
// database fills up (a 3 MiB tmpfs). Writes used to answer 500 internal
// while /readyz stayed ready. Now writes answer 503 unavailable with
// Retry-After, /readyz reports not-ready, reads go on, and once space is
// freed the portal is ready and takes writes again.
func TestDiskFull(t *testing.T) {
	dir := smallDisk(t)
	db := filepath.Join(dir, "portal.db")
	portaldOK(t, "demo", "--db", db)
	c := newClient(startDaemon(t, db).URL, mintToken(t, db, "ben"), newTransport())
	get := func(path string) (int, string, string) {
		req, _ := http.NewRequest("GET", c.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
	}
	if status, _, body := get("/readyz"); status != 200 {
		t.Fatalf("readyz before: %d %s", status, body)
	}

	filler := fill(t, dir)
	body := strings.Repeat("a line of a long note\n", 1400) // ~31 KB, under the API's limit: new pages every time
	var status int
	var retry string
	for i := 0; i < 200; i++ {
		var err error
		if status, retry, err = writeNote(c, fmt.Sprintf("disk full %d", i), body); status/100 != 2 {
			if status != 503 || retry == "" {
				t.Fatalf("a write to a full disk: %d (Retry-After %q) %v, want 503 with Retry-After", status, retry, err)
			}
			break
		}
	}
	if status != 503 {
		t.Fatalf("200 writes of 31 KB fit on a full 3 MiB disk (%d): the test did not fill it", status)
	}
	if status, retry, body := get("/readyz"); status != 503 || retry == "" || !strings.Contains(body, "full") {
		t.Errorf("readyz with the disk full: %d (Retry-After %q) %s, want 503 saying the disk is full", status, retry, body)
	}
	if status, _, body := get("/v1/projects/1/notes"); status != 200 {
		t.Errorf("a read with the disk full: %d %s", status, body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if status, _, body := get("/readyz"); status != 200 {
		t.Errorf("readyz once space is back: %d %s", status, body)
	}
	if status, _, err := writeNote(c, "space is back", "b"); status != 201 {
		t.Errorf("a write once space is back: %d %v", status, err)
	}
}
