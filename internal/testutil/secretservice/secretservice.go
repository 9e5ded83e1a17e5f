// Package secretservice starts a real Secret Service for tests: a private
// D-Bus session bus and gnome-keyring-daemon on it, with an unlocked login
// keyring in a temporary home. go-keyring (and portalctl subprocesses given
// the returned environment) then store tokens exactly as on a desktop.
package secretservice

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// RequireEnv, when set (as .ci/run does), turns a missing dbus-daemon or
// gnome-keyring-daemon into a test failure instead of a skip.
const RequireEnv = "PORTALCTL_TEST_NO_SKIP"

// Start runs a session bus and gnome-keyring until the test ends and
// returns the environment that points at them (DBUS_SESSION_BUS_ADDRESS,
// HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR).
func Start(t testing.TB) []string {
	t.Helper()
	for _, prog := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(prog); err != nil {
			if os.Getenv(RequireEnv) != "" {
				t.Fatalf("%s is not installed (apt-get install dbus gnome-keyring)", prog)
			}
			t.Skipf("%s is not installed; the real keyring test needs it (apt-get install dbus gnome-keyring)", prog)
		}
	}
	dir := t.TempDir()
	runtime := filepath.Join(dir, "run")
	if err := os.Mkdir(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1", "--address=unix:path="+filepath.Join(dir, "bus"))
	address := firstLine(t, bus)
	env := []string{"DBUS_SESSION_BUS_ADDRESS=" + address, "HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"), "XDG_RUNTIME_DIR=" + runtime}

	// --unlock reads the login keyring's password from stdin and creates the
	// keyring unlocked, so nothing ever prompts. With --daemonize the command
	// returns once the daemon serves; the daemon exits with its bus.
	keyring := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize")
	keyring.Env = append(os.Environ(), env...)
	keyring.Stdin = strings.NewReader("test-password")
	done := make(chan error, 1)
	go func() { done <- keyring.Run() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("gnome-keyring-daemon: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("gnome-keyring-daemon did not start within 15 s")
	}
	waitUnlocked(t, address)
	return env
}

// waitUnlocked waits until the Secret Service on the bus at address has an
// unlocked default collection. gnome-keyring-daemon returns once it
// serves, but on a loaded machine the login keyring it creates can become
// the default alias later: a client that came first failed with "failed
// to unlock correct collection '/org/freedesktop/secrets/aliases/default'".
func waitUnlocked(t testing.TB, address string) {
	t.Helper()
	conn, err := dbus.Connect(address)
	if err != nil {
		t.Fatalf("connect to the test session bus: %v", err)
	}
	defer conn.Close()
	service := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	deadline := time.Now().Add(15 * time.Second)
	for {
		var path dbus.ObjectPath
		err := service.Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&path)
		if err == nil && path != "/" {
			locked, perr := conn.Object("org.freedesktop.secrets", path).GetProperty("org.freedesktop.Secret.Collection.Locked")
			if perr == nil && locked.Value() == false {
				return
			}
			err = perr
		}
		if time.Now().After(deadline) {
			t.Fatalf("the test keyring has no unlocked default collection after 15 s (last error: %v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// firstLine starts cmd, stops it when the test ends, and returns the first
// line it prints (dbus-daemon's bus address).
func firstLine(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		for sc.Scan() { // keep draining so the daemon never blocks on a full pipe
		}
	}()
	select {
	case l, ok := <-line:
		if !ok {
			t.Fatalf("%s exited without output", cmd.Path)
		}
		return l
	case <-time.After(15 * time.Second):
		t.Fatalf("%s did not start within 15 s", cmd.Path)
	}
	return ""
}
