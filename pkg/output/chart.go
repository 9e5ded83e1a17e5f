package output

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/portalctl/portalctl/pkg/api"
)

// Bar is one bar of a chart: a label and its value.
type Bar struct {
	Label string
	Value api.Decimal
}

// eighths are the Unicode blocks a bar ends with: one to seven eighths of
// a cell.
var eighths = []string{"▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// minBar is the narrowest bar area drawn, however narrow the terminal.
const minBar = 10

// WriteBarChart draws one horizontal bar per value, in eighths of a
// character cell, the longest bar filling what width leaves after the
// labels and values. A bar is coloured when color is set (a terminal
// without NO_COLOR); a value of zero or less has no bar.
func WriteBarChart(w io.Writer, title string, bars []Bar, width int, color bool) error {
	bw := bufio.NewWriter(w)
	labelW, valueW := 0, 0
	var top api.Decimal
	for _, b := range bars {
		labelW = max(labelW, utf8.RuneCountInString(b.Label))
		valueW = max(valueW, len(b.Value.String()))
		if b.Value > top {
			top = b.Value
		}
	}
	barW := max(width-labelW-valueW-4, minBar) // two spaces each side of the bar
	if title != "" {
		bw.WriteString(Sanitize(title) + "\n")
	}
	for _, b := range bars {
		bw.WriteString(Sanitize(b.Label) + strings.Repeat(" ", labelW-utf8.RuneCountInString(b.Label)) + "  ")
		bar, cells := barOf(b.Value, top, barW)
		if color && bar != "" {
			bar = "\x1b[36m" + bar + "\x1b[0m"
		}
		bw.WriteString(bar + strings.Repeat(" ", barW-cells) + "  ")
		v := b.Value.String()
		bw.WriteString(strings.Repeat(" ", valueW-len(v)) + v + "\n")
	}
	return bw.Flush()
}

// barOf is a bar of v on a scale where top fills width cells, and how many
// cells it takes.
func barOf(v, top api.Decimal, width int) (string, int) {
	if v <= 0 || top <= 0 {
		return "", 0
	}
	units := int64(v) * int64(width) * 8 / int64(top) // in eighths of a cell
	if units == 0 {
		units = 1 // a value above zero always shows
	}
	full, rest := int(units/8), int(units%8)
	bar := strings.Repeat("█", full)
	cells := full
	if rest > 0 {
		bar += eighths[rest-1]
		cells++
	}
	return bar, cells
}
