// Package iostreams wraps stdin, stdout and stderr with the facts commands
// need to decide how to behave: whether each stream is a terminal, the
// terminal width, and whether colour is wanted. Commands never touch os.Std*.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// IOStreams is what a command reads from and writes to.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	colorEnabled                   bool
	termWidth                      int
	// readPassword reads a line without echo; replaced in tests.
	readPassword func() (string, error)

	pagerCommand string // "" or "cat": no pager
	pager        *pager
}

// System returns streams bound to the process's stdin, stdout and stderr.
func System() *IOStreams {
	ios := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	ios.stdinTTY = isTerminal(os.Stdin)
	ios.stdoutTTY = isTerminal(os.Stdout)
	ios.stderrTTY = isTerminal(os.Stderr)
	ios.colorEnabled = colorWanted(os.Getenv, ios.stdoutTTY)
	ios.pagerCommand = pagerWanted(os.Getenv)
	ios.termWidth = 80
	if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
		ios.termWidth = w
	} else if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
		ios.termWidth = c
	}
	ios.readPassword = func() (string, error) {
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		return string(b), err
	}
	return ios
}

// Test returns streams backed by buffers, with every stream not a terminal
// and colour off. Flip the TTY flags with the setters to test human output.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	ios = &IOStreams{In: in, Out: out, ErrOut: errOut, termWidth: 80}
	ios.readPassword = func() (string, error) {
		line, err := readLine(in)
		return line, err
	}
	return ios, in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// colorWanted follows the NO_COLOR / CLICOLOR / CLICOLOR_FORCE conventions.
func colorWanted(getenv func(string) string, stdoutTTY bool) bool {
	if getenv("NO_COLOR") != "" || getenv("CLICOLOR") == "0" {
		return false
	}
	if f := getenv("CLICOLOR_FORCE"); f != "" && f != "0" {
		return true
	}
	return stdoutTTY && getenv("TERM") != "dumb"
}

func (s *IOStreams) IsStdinTTY() bool   { return s.stdinTTY }
func (s *IOStreams) IsStdoutTTY() bool  { return s.stdoutTTY }
func (s *IOStreams) IsStderrTTY() bool  { return s.stderrTTY }
func (s *IOStreams) ColorEnabled() bool { return s.colorEnabled }
func (s *IOStreams) TerminalWidth() int { return s.termWidth }

func (s *IOStreams) SetStdinTTY(v bool)     { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool)    { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool)    { s.stderrTTY = v }
func (s *IOStreams) SetColorEnabled(v bool) { s.colorEnabled = v }
func (s *IOStreams) SetTerminalWidth(w int) { s.termWidth = w }

// SetPager sets the pager command line ("" or "cat": none), for tests.
func (s *IOStreams) SetPager(cmd string) { s.pagerCommand = cmd }

// CanPrompt reports whether the user can be asked something interactively.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }

// ReadPassword reads one line from the terminal without echoing it.
func (s *IOStreams) ReadPassword() (string, error) { return s.readPassword() }

// ReadLine reads one line (without its newline) from In: for tokens and
// passwords given on stdin.
func (s *IOStreams) ReadLine() (string, error) { return readLine(s.In) }

func readLine(r io.Reader) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for {
		n, err := r.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			b = append(b, one[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return string(bytes.TrimRight(b, "\r")), nil
}
