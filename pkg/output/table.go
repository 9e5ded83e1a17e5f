package output

import (
	"bufio"
	"bytes"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// columnGap is the space between table columns (gh and kubectl use two).
const columnGap = 2

// ellipsis marks a cell cut to fit the terminal, as gh does.
const ellipsis = "..."

// minTextWidth is the narrowest a text column is cut to; below it the table
// is allowed to overflow rather than becoming unreadable.
const minTextWidth = 8

// measureRows is how many rows a table holds to size its columns. Later
// rows are written as they come, in those widths, so a table of a million
// rows starts at once and never sits in memory.
const measureRows = 200

// tableEncoder sizes the columns on the first measureRows rows (cutting the
// widest free-text column until the table fits the terminal), then renders
// a borderless gh-like table with tablewriter, batch by batch, every batch
// in the same column widths.
type tableEncoder struct {
	bw     *bufio.Writer
	hs     []header
	opts   Options
	loc    *time.Location
	cells  [][]string // the batch not yet written
	text   []bool     // column holds free text (may be cut)
	widths []int      // column widths, set once the first batch is measured
	cut    bool       // the first batch was cut to fit: later rows are cut alike
	lines  int        // lines written, the header included
}

func newTableEncoder(bw *bufio.Writer, hs []header, opts Options) *tableEncoder {
	return &tableEncoder{bw: bw, hs: hs, opts: opts, loc: opts.location(), text: make([]bool, len(hs))}
}

func (e *tableEncoder) row(vals []Value) error {
	r := make([]string, len(vals))
	for i, v := range vals {
		r[i] = v.tableText(e.loc)
		if v.cuttable() {
			e.text[i] = true
		}
	}
	e.cells = append(e.cells, r)
	if len(e.cells) < measureRows {
		return nil
	}
	if err := e.flush(); err != nil {
		return err
	}
	// Each batch reaches the terminal (or pager) at once, not when the
	// buffer happens to fill.
	return e.bw.Flush()
}

func (e *tableEncoder) end() error {
	if err := e.flush(); err != nil {
		return err
	}
	return e.bw.Flush()
}

// flush writes the rows held so far: the first time with the header and
// the widths measured on them, later in those widths.
func (e *tableEncoder) flush() error {
	var labels []string
	if e.widths == nil {
		labels = make([]string, len(e.hs)) // blank labels take no width
		for i, h := range e.hs {
			if !e.opts.NoHeaders {
				labels[i] = strings.ToUpper(h.label)
			}
		}
		e.widths, e.cut = e.fit(labels)
		if e.opts.NoHeaders {
			labels = nil
		}
	} else {
		e.keepWidths()
	}
	if labels == nil && len(e.cells) == 0 {
		return nil
	}
	err := e.render(labels)
	e.cells = e.cells[:0]
	return err
}

// render writes labels (nil: no header line) and the held rows through
// tablewriter in e.widths.
func (e *tableEncoder) render(labels []string) error {
	widths := tw.NewMapper[int, int]()
	for i, w := range e.widths {
		widths.Set(i, w+columnGap) // tablewriter's width includes the padding
	}
	var out bytes.Buffer
	t := tablewriter.NewTable(&out,
		tablewriter.WithRendition(tw.Rendition{
			Borders:  tw.BorderNone,
			Symbols:  tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{Lines: tw.LinesNone, Separators: tw.SeparatorsNone},
		}),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithPadding(tw.Padding{Left: "", Right: strings.Repeat(" ", columnGap), Overwrite: true}),
		tablewriter.WithColumnWidths(widths),
	)
	if labels != nil {
		t.Header(labels)
	}
	if len(e.cells) > 0 {
		if err := t.Bulk(e.cells); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		// tablewriter pads the last column too; trailing spaces only make
		// copy-paste and diffs worse.
		line = strings.TrimRight(line, " ")
		if e.lines == 0 && labels != nil && e.opts.Color {
			line = "\x1b[1m" + line + "\x1b[0m" // bold header, only when colour is allowed
		}
		e.lines++
		_, _ = e.bw.WriteString(line)
		if err := e.bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

// fit measures the held rows and labels and, unless NoTruncate is set,
// cuts the widest free-text column, one cell at a time, until the table
// fits TerminalWidth. Numbers, dates, times and identifiers are never
// cut: a cut number lies, and leaves nothing to copy. It cuts the held
// cells and labels in place and reports whether it cut anything.
func (e *tableEncoder) fit(labels []string) (widths []int, cut bool) {
	widths = make([]int, len(labels))
	for i, l := range labels {
		widths[i] = runewidth.StringWidth(l)
	}
	for _, r := range e.cells {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	if e.opts.TerminalWidth <= 0 || e.opts.NoTruncate || len(labels) == 0 {
		return widths, false
	}
	total := columnGap * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > e.opts.TerminalWidth {
		widest := -1
		for i, w := range widths {
			if e.text[i] && w > minTextWidth && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break // nothing left to cut; let the terminal wrap
		}
		widths[widest]--
		total--
		cut = true
	}
	if !cut {
		return widths, false
	}
	// The header of a cut column is cut too: a label must not keep the
	// column wider than its cut values.
	for _, r := range e.cells {
		cutRow(r, widths, e.text)
	}
	cutRow(labels, widths, e.text)
	return widths, true
}

// keepWidths fits a later batch into the measured widths: free text is cut
// as on the first page (when that was cut to fit); a value that may not be
// cut and is wider than its column widens the column from here on.
func (e *tableEncoder) keepWidths() {
	for _, r := range e.cells {
		if e.cut {
			cutRow(r, e.widths, e.text)
		}
		for i, c := range r {
			if w := runewidth.StringWidth(c); w > e.widths[i] && !(e.cut && e.text[i]) {
				e.widths[i] = w
			}
		}
	}
}

func cutRow(r []string, widths []int, text []bool) {
	for i, c := range r {
		if text[i] && runewidth.StringWidth(c) > widths[i] {
			r[i] = runewidth.Truncate(c, widths[i], ellipsis)
		}
	}
}

// viewEncoder prints one record as "key: value" lines for a person. The
// key is the API key, which is also what --columns and --jq use.
type viewEncoder struct {
	bw   *bufio.Writer
	hs   []header
	loc  *time.Location
	opts Options
}

func newViewEncoder(bw *bufio.Writer, hs []header, opts Options) *viewEncoder {
	return &viewEncoder{bw: bw, hs: hs, loc: opts.location(), opts: opts}
}

func (e *viewEncoder) row(vals []Value) error {
	width := 0
	for _, h := range e.hs {
		width = max(width, len(h.key))
	}
	for i, h := range e.hs {
		v := vals[i]
		v.indent = 0
		text := Sanitize(string(v.appendText(nil, e.loc, styleHuman)))
		key := h.key + ":"
		if e.opts.Color {
			key = "\x1b[1m" + key + "\x1b[0m"
		}
		_, _ = e.bw.WriteString(key)
		if text != "" {
			_, _ = e.bw.WriteString(strings.Repeat(" ", width-len(h.key)+1))
			// Continuation lines of multi-line text line up under the value.
			text = strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", width+2))
			_, _ = e.bw.WriteString(strings.TrimRight(text, " "))
		}
		if err := e.bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func (e *viewEncoder) end() error { return e.bw.Flush() }
