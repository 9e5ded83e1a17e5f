package shared

import (
	"fmt"
	"iter"
	"time"

	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

// progressEvery is how often the row count of an export to a file is
// redrawn on a terminal.
const progressEvery = 250 * time.Millisecond

// progress counts the rows of an export to --output-file and, when stderr
// is a terminal, shows the count while it runs ("writing hours.csv:
// 45,000 rows") and what was written at the end ("wrote 120,015 rows to
// hours.csv"). It stays silent for stdout, pipes and cron.
type progress struct {
	io    *iostreams.IOStreams
	file  string
	rows  int64
	next  time.Time
	drawn bool
	now   func() time.Time
}

func (r *Renderer) progress() *progress {
	if r.Flags.OutputFile == "" || !r.IO.IsStderrTTY() {
		return nil
	}
	p := &progress{io: r.IO, file: r.Flags.OutputFile, now: time.Now}
	p.next = p.now().Add(time.Second) // short exports print only the result
	return p
}

// count passes rows through, counting them.
func count[T any](p *progress, rows iter.Seq2[T, error]) iter.Seq2[T, error] {
	if p == nil {
		return rows
	}
	return func(yield func(T, error) bool) {
		for row, err := range rows {
			if err == nil {
				p.rows++
				if p.rows%1024 == 0 && p.now().After(p.next) {
					fmt.Fprintf(p.io.ErrOut, "\rwriting %s: %s rows", p.file, thousands(p.rows))
					p.drawn, p.next = true, p.now().Add(progressEvery)
				}
			}
			if !yield(row, err) {
				return
			}
		}
	}
}

// done ends the progress line with the outcome: the rows written, or
// nothing when the export failed (the error says why).
func (p *progress) done(err error) {
	if p == nil {
		return
	}
	if p.drawn {
		fmt.Fprint(p.io.ErrOut, "\r\x1b[K") // clear the running count
	}
	if err == nil {
		fmt.Fprintf(p.io.ErrOut, "wrote %s rows to %s\n", thousands(p.rows), p.file)
	}
}

// thousands writes n with comma separators: 120,015.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
