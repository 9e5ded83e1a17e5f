package output

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestColumnsOrderInEveryFormat(t *testing.T) {
	rows := []api.Organization{{ID: 1, Name: "Acme", TimeZone: "America/Chicago"}}
	cols := []string{"time_zone", " id "}
	tests := []struct {
		format Format
		want   string
	}{
		{FormatCSV, "time_zone,id\nAmerica/Chicago,1\n"},
		{FormatTSV, "time_zone\tid\nAmerica/Chicago\t1\n"},
		{FormatJSON, `[{"time_zone":"America/Chicago","id":1}]` + "\n"},
		{FormatNDJSON, `{"time_zone":"America/Chicago","id":1}` + "\n"},
		{FormatTable, "TIME ZONE        ID\nAmerica/Chicago  1\n"},
	}
	for _, tc := range tests {
		t.Run(string(tc.format), func(t *testing.T) {
			if out := render(t, Organizations, Options{Format: tc.format, Columns: cols}, rows); out != tc.want {
				t.Errorf("got %q, want %q", out, tc.want)
			}
		})
	}
}

func TestOptionErrorsAreUsageErrors(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantMsg []string
	}{
		{"unknown column", Options{Format: FormatCSV, Columns: []string{"id", "nmae"}},
			[]string{`unknown column "nmae" for --columns`, "valid columns: id, name, parent_id, time_zone"}},
		{"unknown column in json", Options{Format: FormatJSON, Columns: []string{"bogus"}}, []string{`"bogus"`, "time_zone"}},
		{"duplicate column", Options{Format: FormatTable, Columns: []string{"id", "id"}}, []string{`"id" is given twice`}},
		{"empty columns", Options{Format: FormatTSV, Columns: []string{" ", ""}}, []string{"--columns is empty"}},
		{"bad format", Options{Format: "xml"}, []string{`"xml" for --output`, "table, csv, tsv, json, ndjson"}},
		{"bad jq", Options{JQ: ".[] | ("}, []string{"invalid --jq expression"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := WriteSlice(&out, Organizations, tc.opts, []api.Organization{{ID: 1}})
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("got %v (%T), want a *UsageError", err, err)
			}
			for _, m := range tc.wantMsg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("message %q lacks %q", err, m)
				}
			}
			if out.Len() != 0 {
				t.Errorf("wrote %q before failing", out.String())
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		tty  bool
		want Format
	}{
		{"", true, FormatTable}, {"", false, FormatTSV}, {"CSV", false, FormatCSV}, {"ndjson", true, FormatNDJSON},
	}
	for _, tc := range tests {
		got, err := ParseFormat(tc.in, tc.tty)
		if err != nil || got != tc.want {
			t.Errorf("ParseFormat(%q, %v) = %q, %v; want %q", tc.in, tc.tty, got, err, tc.want)
		}
	}
}

func TestDefaultFormatFollowsTTY(t *testing.T) {
	rows := []api.EndClient{{ID: 1, Name: "Acme"}}
	if out := render(t, EndClients, Options{IsTTY: false}, rows); out != "id\tname\n1\tAcme\n" {
		t.Errorf("piped default = %q, want TSV", out)
	}
	if out := render(t, EndClients, Options{IsTTY: true}, rows); out != "ID  NAME\n1   Acme\n" {
		t.Errorf("terminal default = %q, want a table", out)
	}
}

func TestStreamErrorIsReturned(t *testing.T) {
	boom := errors.New("connection reset")
	rows := func(yield func(api.BilledHoursRow, error) bool) {
		if yield(billedRow(1), nil) {
			yield(api.BilledHoursRow{}, boom)
		}
	}
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			err := WriteList(&bytes.Buffer{}, BilledHours, Options{Format: f}, rows)
			if !errors.Is(err, boom) {
				t.Errorf("got %v, want the stream's error", err)
			}
		})
	}
}

func TestListWriterPushAPI(t *testing.T) {
	var out bytes.Buffer
	lw, err := NewList(&out, BilledHours, Options{Format: FormatNDJSON, Columns: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range int64(3) {
		if err := lw.Write(billedRow(i + 1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
