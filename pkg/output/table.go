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

// tableEncoder buffers the rows (column widths need all of them), cuts the
// widest text column until the table fits the terminal, and renders a
// borderless gh-like table with tablewriter.
type tableEncoder struct {
	bw    *bufio.Writer
	hs    []header
	opts  Options
	loc   *time.Location
	cells [][]string
	text  []bool // column holds free text (may be cut)
}

func newTableEncoder(bw *bufio.Writer, hs []header, opts Options) *tableEncoder {
	return &tableEncoder{bw: bw, hs: hs, opts: opts, loc: opts.location(), text: make([]bool, len(hs))}
}

func (e *tableEncoder) row(vals []Value) error {
	r := make([]string, len(vals))
	for i, v := range vals {
		r[i] = v.tableText(e.loc)
		if v.isText() {
			e.text[i] = true
		}
	}
	e.cells = append(e.cells, r)
	return nil
}

func (e *tableEncoder) end() error {
	labels := make([]string, len(e.hs))
	for i, h := range e.hs {
		labels[i] = strings.ToUpper(h.label)
	}
	e.fit(labels)

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
	)
	if !e.opts.NoHeaders {
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
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	for i, line := range lines {
		// tablewriter pads the last column too; trailing spaces only make
		// copy-paste and diffs worse.
		line = strings.TrimRight(line, " ")
		if i == 0 && !e.opts.NoHeaders && e.opts.Color {
			line = "\x1b[1m" + line + "\x1b[0m" // bold header, only when colour is allowed
		}
		if line == "" && len(e.cells) == 0 && e.opts.NoHeaders {
			continue
		}
		_, _ = e.bw.WriteString(line)
		_ = e.bw.WriteByte('\n')
	}
	return e.bw.Flush()
}

// fit cuts the widest text column, one cell at a time, until the table fits
// TerminalWidth. Numbers, dates and times are never cut: a cut number lies.
func (e *tableEncoder) fit(labels []string) {
	if e.opts.TerminalWidth <= 0 || len(labels) == 0 {
		return
	}
	widths := make([]int, len(labels))
	floor := make([]int, len(labels))
	for i, l := range labels {
		widths[i] = runewidth.StringWidth(l)
		floor[i] = minTextWidth
	}
	for _, r := range e.cells {
		for i, c := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	total := columnGap * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	changed := false
	for total > e.opts.TerminalWidth {
		widest := -1
		for i, w := range widths {
			if e.text[i] && w > floor[i] && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break // nothing left to cut; let the terminal wrap
		}
		widths[widest]--
		total--
		changed = true
	}
	if !changed {
		return
	}
	// The header of a cut column is cut too: a label must not keep the
	// column wider than its cut values.
	for _, r := range e.cells {
		cutRow(r, widths, e.text)
	}
	cutRow(labels, widths, e.text)
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
