package cmdutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/output"
)

func TestOutputFlags(t *testing.T) {
	tests := []struct {
		name                  string
		args                  []string
		tty                   bool
		cfgFormat, cfgTZ, org string
		wantFormat            output.Format
		wantZone              string
		wantExit              int
	}{
		{name: "terminal default", tty: true, wantFormat: output.FormatTable, wantZone: "UTC"},
		{name: "piped default", wantFormat: output.FormatTSV, wantZone: "UTC"},
		{name: "config default", cfgFormat: "csv", wantFormat: output.FormatCSV, wantZone: "UTC"},
		{name: "flag beats config", args: []string{"-o", "json"}, cfgFormat: "csv", wantFormat: output.FormatJSON, wantZone: "UTC"},
		{name: "organization zone", org: "America/Los_Angeles", wantFormat: output.FormatTSV, wantZone: "America/Los_Angeles"},
		{name: "--tz beats config and organization", args: []string{"--tz", "Asia/Tokyo"}, cfgTZ: "Europe/Berlin",
			org: "America/Los_Angeles", wantFormat: output.FormatTSV, wantZone: "Asia/Tokyo"},
		{name: "output file is never a terminal", args: []string{"--output-file", "x.txt"}, tty: true, wantFormat: output.FormatTSV, wantZone: "UTC"},
		{name: "format from the file extension", args: []string{"--output-file", "hours.csv"}, tty: true, wantFormat: output.FormatCSV, wantZone: "UTC"},
		{name: "json extension", args: []string{"--output-file", "dir.v2/x.JSON"}, wantFormat: output.FormatJSON, wantZone: "UTC"},
		{name: "ndjson extension", args: []string{"--output-file", "x.ndjson"}, wantFormat: output.FormatNDJSON, wantZone: "UTC"},
		{name: "tsv extension beats config", args: []string{"--output-file", "x.tsv"}, cfgFormat: "json", wantFormat: output.FormatTSV, wantZone: "UTC"},
		{name: "-o beats the extension", args: []string{"-o", "json", "--output-file", "x.csv"}, wantFormat: output.FormatJSON, wantZone: "UTC"},
		{name: "other extension keeps the config", args: []string{"--output-file", "x.table"}, cfgFormat: "csv", wantFormat: output.FormatCSV, wantZone: "UTC"},
		{name: "bad format", args: []string{"-o", "xml"}, wantExit: ExitUsage},
		{name: "bad zone", args: []string{"--tz", "Mars/Olympus"}, wantExit: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var of OutputFlags
			cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
			AddOutputFlags(cmd, &of, nil)
			cmd.SetArgs(tt.args)
			require.NoError(t, cmd.Execute())
			ios, _, _, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			opts, err := of.Options(ios, tt.cfgFormat, tt.cfgTZ, tt.org)
			require.Equal(t, tt.wantExit, ExitCode(err), "err: %v", err)
			if tt.wantExit != 0 {
				return
			}
			assert.Equal(t, tt.wantFormat, opts.Format)
			assert.Equal(t, tt.wantZone, opts.Location.String())
		})
	}
}

func TestLimitFlags(t *testing.T) {
	tests := []struct {
		args     []string
		want     int
		wantExit int
	}{
		{nil, 30, 0},
		{[]string{"-L", "5"}, 5, 0},
		{[]string{"--all"}, 0, 0},
		{[]string{"--limit", "0"}, 0, ExitUsage},
		{[]string{"--all", "--limit", "3"}, 0, ExitUsage},
	}
	for _, tt := range tests {
		var l LimitFlags
		ran := false
		cmd := &cobra.Command{Use: "x", SilenceErrors: true, SilenceUsage: true,
			RunE: func(*cobra.Command, []string) error { ran = true; return nil }}
		AddLimitFlags(cmd, &l, 30)
		cmd.SetArgs(tt.args)
		err := cmd.Execute()
		assert.Equal(t, tt.wantExit, ExitCode(err), tt.args)
		assert.Equal(t, err == nil, ran, "%v: the command runs only with valid flags", tt.args)
		if err == nil {
			assert.Equal(t, tt.want, l.Rows(), tt.args)
		}
	}
}

func TestDestination(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	w, commit, _, err := (&OutputFlags{}).Destination(ios)
	require.NoError(t, err)
	_, _ = w.Write([]byte("a"))
	require.NoError(t, commit())
	assert.Equal(t, "a", out.String())

	path := filepath.Join(t.TempDir(), "export.csv")
	w, _, abort, err := (&OutputFlags{OutputFile: path}).Destination(ios)
	require.NoError(t, err)
	_, _ = w.Write([]byte("partial"))
	abort() // interrupted: nothing is left behind
	_, statErr := os.Stat(path)
	assert.True(t, os.IsNotExist(statErr))

	w, commit, _, err = (&OutputFlags{OutputFile: path}).Destination(ios)
	require.NoError(t, err)
	_, _ = w.Write([]byte("complete"))
	require.NoError(t, commit())
	b, _ := os.ReadFile(path)
	assert.Equal(t, "complete", string(b))
}

// CLICOLOR_FORCE (ColorEnabled on a pipe) keeps the table's colour when
// piped, as `help environment` says; an --output-file never gets colour.
func TestOutputColour(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tty, color bool
		file       string
		want       bool
	}{
		{"terminal", true, true, "", true},
		{"NO_COLOR on a terminal", true, false, "", false},
		{"piped, CLICOLOR_FORCE", false, true, "", true},
		{"piped", false, false, "", false},
		{"file, CLICOLOR_FORCE", false, true, "x.txt", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.SetStdoutTTY(tc.tty)
			ios.SetColorEnabled(tc.color)
			opts, err := (&OutputFlags{Format: "table", OutputFile: tc.file}).Options(ios, "", "", "")
			require.NoError(t, err)
			assert.Equal(t, tc.want, opts.Color)
		})
	}
}
