// Package browser opens a web page in the user's browser, as gh does: the
// command in $BROWSER when set, else the desktop's opener (xdg-open, open,
// or rundll32 on Windows).
package browser

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"

	"github.com/google/shlex"
)

// Browser opens URLs. Commands get it from the factory; tests record calls.
type Browser interface {
	Browse(url string) error
}

// System is the real browser: $BROWSER (a command line; the URL is added
// as its last argument), else the platform's opener. What the opener prints
// goes to stderr, never to stdout.
func System(getenv func(string) string, stderr io.Writer) Browser {
	return &system{getenv: getenv, stderr: stderr}
}

type system struct {
	getenv func(string) string
	stderr io.Writer
}

func (s *system) Browse(url string) error {
	argv, err := s.command()
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], append(argv[1:], url)...)
	cmd.Stdout, cmd.Stderr = s.stderr, s.stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("cannot open a browser: %s is not installed (set BROWSER to your browser's command)", argv[0])
		}
		return fmt.Errorf("cannot open a browser with %s: %w", argv[0], err)
	}
	return nil
}

func (s *system) command() ([]string, error) {
	if b := s.getenv("BROWSER"); b != "" {
		argv, err := shlex.Split(b)
		if err != nil || len(argv) == 0 {
			return nil, fmt.Errorf("BROWSER=%q is not a command line", b)
		}
		return argv, nil
	}
	switch runtime.GOOS {
	case "darwin":
		return []string{"open"}, nil
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler"}, nil
	}
	return []string{"xdg-open"}, nil
}
