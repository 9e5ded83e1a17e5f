package cmdutil

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/output"
)

// OutputFlags are the flags every list and view shares (cli.md "Output").
type OutputFlags struct {
	Format     string
	Columns    []string
	NoHeaders  bool
	JQ         string
	CSVRaw     bool
	NoTruncate bool
	NoPager    bool
	TZ         string
	OutputFile string
}

// AddOutputFlags registers -o, --columns, --no-headers, --jq, --csv-raw,
// --no-truncate, --no-pager, --tz and --output-file on cmd. columns gives
// the --columns keys the shell completes: the Keys of the row model the
// command prints (a method value, so nothing is computed until a TAB
// press asks), or a function choosing by the command's other flags, which
// are parsed by then.
func AddOutputFlags(cmd *cobra.Command, o *OutputFlags, columns func() []string) {
	names := make([]string, len(output.Formats))
	for i, f := range output.Formats {
		names[i] = string(f)
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Format, "output", "o", "", fmt.Sprintf("Output format: {%s} (default: from the --output-file extension, else table on a terminal, tsv otherwise)", strings.Join(names, "|")))
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
	fl.StringSliceVar(&o.Columns, "columns", nil, "Columns to print, by API key, in this order (all formats)")
	if columns != nil {
		_ = cmd.RegisterFlagCompletionFunc("columns", completeColumns(columns))
	}
	fl.BoolVar(&o.NoHeaders, "no-headers", false, "Leave out the header row (table, csv, tsv)")
	fl.StringVar(&o.JQ, "jq", "", "Filter the JSON output with a jq expression")
	fl.BoolVar(&o.CSVRaw, "csv-raw", false, "CSV: keep cells exactly as sent (no formula guard, control characters not made visible)")
	// --raw was the CSV guard's switch and --jq's "print strings unquoted";
	// --jq now always prints strings unquoted, as gh does.
	fl.BoolVar(&o.CSVRaw, "raw", false, "Use --csv-raw")
	_ = fl.MarkDeprecated("raw", "use --csv-raw (--jq prints strings unquoted by itself)")
	fl.BoolVar(&o.NoTruncate, "no-truncate", false, "Table: never shorten cells to fit the terminal (ids, numbers and statuses never are)")
	fl.BoolVar(&o.NoPager, "no-pager", false, "Do not page the output on a terminal (PORTALCTL_PAGER, PAGER, else less -FRX)")
	fl.StringVar(&o.TZ, "tz", "", "Time zone for timestamps in table/csv/tsv (IANA name; default the organization's)")
	fl.StringVar(&o.OutputFile, "output-file", "", "Write to this file, replaced only once complete")
}

// Options resolves the flags for this run. defaultFormat and defaultTZ come
// from the config profile; orgTZ is the organization's zone (from /v1/me, or
// "" when not fetched). Precedence: flag, then config, then organization;
// for the format, the --output-file extension comes before the config.
func (o *OutputFlags) Options(ios *iostreams.IOStreams, defaultFormat, defaultTZ, orgTZ string) (output.Options, error) {
	tty := ios.IsStdoutTTY() && o.OutputFile == ""
	name := o.Format
	if name == "" {
		name = formatOfFile(o.OutputFile)
	}
	if name == "" {
		name = defaultFormat
	}
	format, err := output.ParseFormat(name, tty)
	if err != nil {
		return output.Options{}, err
	}
	loc := time.UTC
	for _, tz := range []string{o.TZ, defaultTZ, orgTZ} {
		if tz == "" {
			continue
		}
		if loc, err = time.LoadLocation(tz); err != nil {
			return output.Options{}, FlagErrorf("invalid --tz %q: want an IANA time zone such as America/New_York", tz)
		}
		break
	}
	opts := output.Options{
		Format: format, Columns: o.Columns, NoHeaders: o.NoHeaders, JQ: o.JQ, CSVRaw: o.CSVRaw,
		NoTruncate: o.NoTruncate, Location: loc, IsTTY: tty,
		// CLICOLOR_FORCE keeps colour on a pipe (ColorEnabled); a file
		// never gets escape codes.
		Color: o.OutputFile == "" && ios.ColorEnabled(),
	}
	if tty {
		opts.TerminalWidth = ios.TerminalWidth()
	}
	return opts, nil
}

// formatOfFile is the format an --output-file name asks for by its
// extension (export.csv, hours.ndjson), or "" for any other name.
func formatOfFile(path string) string {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	for _, f := range output.Formats {
		if f != output.FormatTable && ext == string(f) {
			return ext
		}
	}
	return ""
}

// Destination opens where output goes: stdout, or --output-file written
// atomically. Call commit after the last row; on error or interrupt call
// abort, which removes the partial file.
func (o *OutputFlags) Destination(ios *iostreams.IOStreams) (w io.Writer, commit func() error, abort func(), err error) {
	if o.OutputFile == "" {
		return ios.Out, func() error { return nil }, func() {}, nil
	}
	f, err := output.AtomicFile(o.OutputFile)
	if err != nil {
		return nil, nil, nil, err
	}
	return f, f.Commit, func() { _ = f.Abort() }, nil
}

// LimitFlags are --limit/-L and --all.
type LimitFlags struct {
	Limit int
	All   bool
	set   func() bool
}

// AddLimitFlags registers --limit (default def; 0 means "no limit" for
// exports) and --all on cmd. They are checked once parsed, before the
// command runs (a PreRunE ahead of any cmd already has), so the run
// function gets a valid Rows.
func AddLimitFlags(cmd *cobra.Command, l *LimitFlags, def int) {
	cmd.Flags().IntVarP(&l.Limit, "limit", "L", def, "Maximum number of rows to fetch")
	cmd.Flags().BoolVar(&l.All, "all", false, "Fetch every row")
	l.set = func() bool { return cmd.Flags().Changed("limit") }
	next := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if err := l.check(); err != nil {
			return err
		}
		if next != nil {
			return next(c, args)
		}
		return nil
	}
}

// Unset reports whether neither --limit nor --all was given.
func (l *LimitFlags) Unset() bool { return !l.All && (l.set == nil || !l.set()) }

// check refuses --limit with --all, and a --limit below 1.
func (l *LimitFlags) check() error {
	changed := l.set != nil && l.set()
	if l.All && changed {
		return FlagErrorf("specify only one of --limit and --all")
	}
	if changed && !l.All && l.Limit < 1 {
		return FlagErrorf("invalid --limit %d: must be at least 1 (or use --all)", l.Limit)
	}
	return nil
}

// Rows is the row limit (0 = all).
func (l *LimitFlags) Rows() int {
	if l.All {
		return 0
	}
	return l.Limit
}

// completeColumns completes a comma-separated --columns list: the keys not
// yet given, each prefixed by what is already typed.
func completeColumns(keys func() []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done, _ := cutLast(toComplete)
		var out []string
		for _, k := range keys() {
			if !strings.Contains(","+done, ","+k+",") {
				out = append(out, done+k)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// cutLast splits "id,name,st" into "id,name," and "st".
func cutLast(s string) (done, last string) {
	i := strings.LastIndex(s, ",")
	return s[:i+1], s[i+1:]
}
