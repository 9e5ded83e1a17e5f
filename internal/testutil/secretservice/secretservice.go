// Package secretservice starts a real Secret Service for tests: a private
// D-Bus session bus and gnome-keyring-daemon on it, with an unlocked login
// keyring in a temporary home. go-keyring (and portalctl subprocesses given
// the returned environment) then store tokens exactly as on a desktop.
package secretservice

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
//
// On a busy machine gnome-keyring-daemon --unlock started now and then
// without the login keyring (only the session collection, no default
// alias; one start in thirty with three CPU burners), and it never
// appeared later. The password now waits in a pipe before the daemon
// starts (start); a start that still fails is stopped and made again, up
// to three times.
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
	var why string
	for range 3 {
		env, stop, err := start(t.TempDir())
		if err == nil {
			t.Cleanup(stop)
			return env
		}
		stop()
		why = err.Error()
		t.Logf("the Secret Service did not come up; starting it again: %s", why)
	}
	t.Fatalf("no Secret Service with an unlocked login keyring in three starts: %s", why)
	return nil
}

// start runs a bus and the keyring daemon in dir; stop ends both (the
// daemon exits with its bus), whatever start returned.
func start(dir string) (env []string, stop func(), err error) {
	runtime := filepath.Join(dir, "run")
	if err := os.Mkdir(runtime, 0o700); err != nil {
		return nil, func() {}, err
	}
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1", "--address=unix:path="+filepath.Join(dir, "bus"))
	address, stop, err := firstLine(bus)
	if err != nil {
		return nil, stop, err
	}
	env = []string{"DBUS_SESSION_BUS_ADDRESS=" + address, "HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"), "XDG_RUNTIME_DIR=" + runtime}

	// --unlock reads the login keyring's password from stdin and creates the
	// keyring unlocked, so nothing ever prompts. With --daemonize the command
	// returns once the daemon serves; the daemon exits with its bus.
	keyring := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize")
	keyring.Env = append(os.Environ(), env...)
	// The password is in the pipe before the daemon starts: given a
	// strings.Reader, exec copies it in from a goroutine, which on a busy
	// machine ran after the daemon had looked, and it started without the
	// login keyring.
	password, err := passwordPipe("test-password")
	if err != nil {
		return nil, stop, err
	}
	defer password.Close()
	keyring.Stdin = password
	done := make(chan error, 1)
	go func() { done <- keyring.Run() }()
	select {
	case err := <-done:
		if err != nil {
			return nil, stop, fmt.Errorf("gnome-keyring-daemon: %w", err)
		}
	case <-time.After(15 * time.Second):
		return nil, stop, errors.New("gnome-keyring-daemon did not start within 15 s")
	}
	return env, stop, waitUnlocked(address)
}

// passwordPipe returns the read end of a pipe that holds password and
// then ends.
func passwordPipe(password string) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	_, err = w.WriteString(password)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// waitUnlocked waits until the Secret Service on the bus at address has an
// unlocked default collection. gnome-keyring-daemon returns once it
// serves, but on a loaded machine the login keyring it creates can become
// the default alias later: a client that came first failed with "failed
// to unlock correct collection '/org/freedesktop/secrets/aliases/default'".
func waitUnlocked(address string) error {
	conn, err := dbus.Connect(address)
	if err != nil {
		return fmt.Errorf("connect to the test session bus: %w", err)
	}
	defer conn.Close()
	service := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	deadline := time.Now().Add(10 * time.Second)
	for {
		var path dbus.ObjectPath
		err := service.Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&path)
		if err == nil && path != "/" {
			locked, perr := conn.Object("org.freedesktop.secrets", path).GetProperty("org.freedesktop.Secret.Collection.Locked")
			if perr == nil && locked.Value() == false {
				return nil
			}
			err = perr
		}
		if time.Now().After(deadline) {
			cols, _ := service.GetProperty("org.freedesktop.Secret.Service.Collections")
			return fmt.Errorf("no unlocked default collection after 10 s (default alias %q, collections %v, last error %v)",
				path, cols.Value(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// firstLine starts cmd and returns the first line it prints (dbus-daemon's
// bus address) and how to stop it.
func firstLine(cmd *exec.Cmd) (string, func(), error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", func() {}, err
	}
	if err := cmd.Start(); err != nil {
		return "", func() {}, fmt.Errorf("%s: %w", cmd.Path, err)
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
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
			return "", stop, fmt.Errorf("%s exited without output", cmd.Path)
		}
		return l, stop, nil
	case <-time.After(15 * time.Second):
		return "", stop, fmt.Errorf("%s did not start within 15 s", cmd.Path)
	}
}
