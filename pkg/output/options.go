// Package output renders API records for people and programs: table, CSV,
// TSV, JSON and NDJSON, with --columns, --no-headers and --jq, from one row
// model per resource (see models_*.go).
//
// Lists are written row by row (ListWriter or WriteList) so an export of a
// million billed-hours rows to CSV, TSV, NDJSON or JSON never sits in
// memory. Tables size their columns on the first rows and then stream
// too; only --jq (which needs the whole document) buffers its rows.
//
// Time stamps: JSON keeps the API's UTC value; CSV and TSV print RFC 3339
// with the offset of Options.Location (2026-03-28T09:00:00-05:00); tables
// print "2026-03-28 09:00 CDT" in that location. Dates (api.Date) are
// printed exactly as they are, never converted.
package output

import (
	"strings"
	"time"
)

// Format is an output format name as given to -o/--output.
type Format string

const (
	FormatTable  Format = "table"
	FormatCSV    Format = "csv"
	FormatTSV    Format = "tsv"
	FormatJSON   Format = "json"
	FormatNDJSON Format = "ndjson"
)

// Formats lists the accepted --output values, for help and completion.
var Formats = []Format{FormatTable, FormatCSV, FormatTSV, FormatJSON, FormatNDJSON}

// ParseFormat checks an --output value. An empty value picks the default:
// a table on a terminal, TSV when piped (gh's convention).
func ParseFormat(s string, isTTY bool) (Format, error) {
	if s == "" {
		return DefaultFormat(isTTY), nil
	}
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", usageErrorf("invalid value %q for --output; choose one of: %s", s, strings.Join(names, ", "))
}

// DefaultFormat is table on a terminal and TSV otherwise.
func DefaultFormat(isTTY bool) Format {
	if isTTY {
		return FormatTable
	}
	return FormatTSV
}

// Options are the output flags of a command, already resolved by the CLI.
type Options struct {
	Format        Format         // empty means DefaultFormat(IsTTY)
	Columns       []string       // --columns: API keys, in the order to print; empty = default set
	NoHeaders     bool           // --no-headers (table, CSV, TSV)
	JQ            string         // --jq: when set, the output is the expression's results as JSON
	CSVRaw        bool           // --csv-raw: no CSV formula guard
	Location      *time.Location // zone for table/CSV/TSV time stamps; nil = UTC
	IsTTY         bool           // stdout is a terminal: indented JSON, table by default
	TerminalWidth int            // table width to fit; 0 = no limit
	NoTruncate    bool           // --no-truncate: table cells are never shortened
	Color         bool           // caller decided: colour allowed (a TTY or CLICOLOR_FORCE, no NO_COLOR)
}

func (o Options) format() Format {
	if o.Format == "" {
		return DefaultFormat(o.IsTTY)
	}
	return o.Format
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}
