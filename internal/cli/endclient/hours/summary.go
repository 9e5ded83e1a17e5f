package hours

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

// SummaryFlags are --summary and --chart: totals instead of rows.
type SummaryFlags struct {
	By    []string // --summary keys, in order
	Chart bool
}

func (s SummaryFlags) set() bool { return len(s.By) > 0 || s.Chart }

const summaryHelp = `

--summary client|project|month|resource prints totals instead of rows: hours worked,
hours billed and amount of exactly the rows the export would give (the same --client,
--from and --to), added up by the server. Keys combine (--summary client,month) and
sort the groups in that order; a table ends with a total row. --chart draws the hours
billed per month as bars (coloured on a terminal unless NO_COLOR is set).`

const summaryExamples = `
# a monthly invoice total per client
$ portalctl endclient hours --summary client,month --from 2026-01-01 --to 2026-12-31
$ portalctl endclient hours --chart`

// addSummaryFlags registers --summary and --chart on the hours command.
func addSummaryFlags(cmd *cobra.Command, s *SummaryFlags) {
	cmd.Long += summaryHelp
	cmd.Example += summaryExamples
	cmd.Flags().StringSliceVar(&s.By, "summary", nil, "Print totals by `KEYS` instead of rows: {client|project|month|resource}, comma-separated")
	cmd.Flags().BoolVar(&s.Chart, "chart", false, "Draw the hours billed per month as a bar chart")
	_ = cmd.RegisterFlagCompletionFunc("summary", cobra.FixedCompletions(api.SummaryKeys, cobra.ShellCompDirectiveNoFileComp))
}

// check refuses what a summary cannot do, as usage errors.
func (s SummaryFlags) check(opts *Options) error {
	for i, k := range s.By {
		if !slices.Contains(api.SummaryKeys, k) {
			return cmdutil.FlagErrorf("invalid --summary %q: choose from %s", k, strings.Join(api.SummaryKeys, ", "))
		}
		if slices.Contains(s.By[:i], k) {
			return cmdutil.FlagErrorf("--summary names %s twice", k)
		}
	}
	switch {
	case opts.State != "" || opts.Append || opts.Clobber || opts.WriteEmpty:
		return cmdutil.FlagErrorf("--state, --append, --clobber and --write-empty export rows; a summary keeps no state: leave them out")
	case opts.Limit.Limit > 0 || opts.Limit.All:
		return cmdutil.FlagErrorf("a summary totals every row: leave out --limit and --all")
	case s.Chart && !slices.Equal(s.By, []string{"month"}) && len(s.By) > 0:
		return cmdutil.FlagErrorf("--chart draws hours billed per month: use it alone or with --summary month")
	case s.Chart && (opts.Render.Flags.Format != "" || opts.Render.Flags.JQ != "" || len(opts.Render.Flags.Columns) > 0):
		return cmdutil.FlagErrorf("--chart draws a chart: for the numbers use --summary month with -o, --jq or --columns")
	}
	return nil
}

// summaryRun prints the totals (GET /v1/end-client/billed-hours/summary).
func summaryRun(ctx context.Context, opts *Options) error {
	s := opts.Summary
	if err := s.check(opts); err != nil {
		return err
	}
	by := s.By
	if s.Chart {
		by = []string{"month"}
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	sum, err := c.BilledHoursSummary(ctx, opts.Query, by)
	if err != nil {
		return err
	}
	if s.Chart {
		return chart(opts, sum)
	}
	r := opts.Render
	format, err := r.Format()
	if err != nil {
		return err
	}
	if r.Flags.TZ == "" {
		r.Flags.TZ = "UTC" // no timestamps: the organization's zone need not be fetched
	}
	if len(r.Flags.Columns) == 0 {
		r.Flags.Columns = summaryColumns(by, format)
	}
	rows := sum.Items
	if format == output.FormatTable && len(by) > 0 && len(rows) > 0 {
		rows = append(rows, totalRow(by, sum.Total))
	}
	return shared.List(ctx, r, output.BilledHoursTotals, output.Rows(rows))
}

// summaryColumns are a summary's default columns: its keys (names on a
// table, ids too elsewhere), then the totals.
func summaryColumns(by []string, format output.Format) []string {
	table := format == output.FormatTable
	var cols []string
	for _, k := range by {
		switch {
		case k == "client" && table:
			cols = append(cols, "client_name")
		case k == "client":
			cols = append(cols, "client_id", "client_name")
		case k == "project" && table:
			cols = append(cols, "project_number", "project_name")
		case k == "project":
			cols = append(cols, "project_id", "project_number", "project_name")
		default:
			cols = append(cols, k)
		}
	}
	return append(cols, "hours_worked", "hours_billed", "amount")
}

// totalRow is the table's last row: the totals, labelled in the first
// key's column.
func totalRow(by []string, t api.BilledHoursTotal) api.BilledHoursTotal {
	label := "Total"
	switch by[0] {
	case "client":
		t.ClientName = &label
	case "project":
		t.ProjectNumber = &label
	case "month":
		t.Month = &label
	case "resource":
		t.Resource = &label
	}
	return t
}

// chart draws the hours billed per month, every month from the first to
// the last (a month without items has no bar).
func chart(opts *Options, sum api.BilledHoursSummary) error {
	ios := opts.Render.IO
	byMonth := map[string]api.Decimal{}
	for _, g := range sum.Items {
		byMonth[*g.Month] = g.HoursBilled
	}
	var bars []output.Bar
	if len(sum.Items) > 0 {
		first, last := *sum.Items[0].Month, *sum.Items[len(sum.Items)-1].Month
		for m := first; m <= last; m = nextMonth(m) {
			bars = append(bars, output.Bar{Label: m, Value: byMonth[m]})
		}
	}
	title := fmt.Sprintf("Hours billed per month (total %s)", sum.Total.HoursBilled)
	return output.WriteBarChart(ios.Out, title, bars, ios.TerminalWidth(), ios.IsStdoutTTY() && ios.ColorEnabled())
}

// nextMonth is the YYYY-MM after m.
func nextMonth(m string) string {
	var y, mo int
	fmt.Sscanf(m, "%d-%d", &y, &mo)
	if mo++; mo > 12 {
		y, mo = y+1, 1
	}
	return fmt.Sprintf("%04d-%02d", y, mo)
}
