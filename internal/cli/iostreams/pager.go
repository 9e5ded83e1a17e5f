package iostreams

import (
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/google/shlex"
)

// defaultPager shows long output a screen at a time: -F quits at once when
// it fits one screen, -R passes colour through, -X leaves it on the screen.
const defaultPager = "less -FRX"

// pagerWanted is the pager command line: PORTALCTL_PAGER, then PAGER, else
// less -FRX (gh's order with its own variable first). "cat" turns it off.
func pagerWanted(getenv func(string) string) string {
	for _, v := range []string{"PORTALCTL_PAGER", "PAGER"} {
		if p := strings.TrimSpace(getenv(v)); p != "" {
			return p
		}
	}
	return defaultPager
}

// pager is a running pager process that stdout writes go to.
type pager struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out io.Writer // stdout before the pager started
}

// StartPager sends what the command writes to Out through the pager, when
// stdout is a terminal and a pager is wanted (gh's iostreams.StartPager).
// A pager that cannot start is not an error: output goes to the terminal
// as it would without one. Call StopPager when the output is complete.
func (s *IOStreams) StartPager() {
	if s.pager != nil || !s.stdoutTTY || s.pagerCommand == "" || s.pagerCommand == "cat" {
		return
	}
	argv, err := shlex.Split(s.pagerCommand)
	if err != nil || len(argv) == 0 {
		return
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=FRX") // when $PAGER is a bare less
	}
	if _, ok := os.LookupEnv("LV"); !ok {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	cmd.Stdout, cmd.Stderr = s.Out, s.ErrOut
	in, err := cmd.StdinPipe()
	if err != nil {
		return
	}
	if err := cmd.Start(); err != nil {
		return
	}
	s.pager = &pager{cmd: cmd, in: in, out: s.Out}
	s.Out = in
}

// StopPager ends the input of the pager and waits until the user has left
// it; stdout is the terminal again afterwards.
func (s *IOStreams) StopPager() {
	if s.pager == nil {
		return
	}
	_ = s.pager.in.Close()
	_ = s.pager.cmd.Wait() // however the pager ended, the output is over
	s.Out = s.pager.out
	s.pager = nil
}
