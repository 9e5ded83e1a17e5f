package api

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// encodingJSON is what portald wrote before AppendJSON: a json.Encoder with
// SetEscapeHTML(false), without its newline.
func encodingJSON(t testing.TB, v any) ([]byte, error) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	id, zero, neg, five := int64(42), int64(0), int64(-7), int64(5)
	str := func(s string) *string { return &s }
	dec := func(d Decimal) *Decimal { return &d }
	at := time.Date(2026, 2, 4, 1, 30, 0, 0, time.UTC)
	nanos := time.Date(2026, 2, 4, 1, 30, 0, 123456000, time.UTC)
	zoned := time.Date(2026, 2, 4, 1, 30, 0, 0, time.FixedZone("", -5*3600))
	zeroTime := time.Time{}
	tricky := "quote \" backslash \\ slash / <b>&amp;</b> tab\t nl\n cr\r bs\b ff\f nul\x00 us\x1f del\x7f " +
		"é ü 日本 😀 ls\u2028 ps\u2029 bad\xff\xfe end"
	tests := []struct {
		name string
		row  BilledHoursRow
	}{
		{"zero value: nil pointers are null", BilledHoursRow{}},
		{"typical row", BilledHoursRow{ID: 60001, ClientID: 300, ClientName: "Tailspin Dental", ProjectID: &five,
			ProjectNumber: str("P20260201.0005"), ProjectName: str("Rack install"), TaskID: &id, TaskNumber: str("T20260201.0005"),
			TaskTitle: str("Mount the rack"), Resource: str("Tom Berg"), WorkedDate: "2026-02-03",
			HoursWorked: 350, HoursBilled: 300, Rate: dec(15000), Amount: dec(45000), Description: "Racked", BilledAt: &at}},
		{"tricky strings everywhere", BilledHoursRow{ClientName: tricky, ProjectNumber: str(tricky), ProjectName: str(tricky),
			TicketNumber: str(tricky), TicketTitle: str(tricky),
			TaskNumber: str(tricky), TaskTitle: str(tricky), Resource: str(tricky), WorkedDate: Date(tricky), Description: tricky}},
		{"empty strings and zero pointers", BilledHoursRow{TaskID: &zero, TaskNumber: str(""), TaskTitle: str(""),
			Resource: str(""), Rate: dec(0), Amount: dec(0), BilledAt: &zeroTime}},
		{"ticket row", BilledHoursRow{ID: 70001, ClientID: 300, ClientName: "Tailspin Dental", TicketID: &id,
			TicketNumber: str("T20260105.0001"), TicketTitle: str("Printer offline"), WorkedDate: "2026-01-06", HoursBilled: 100}},
		{"negative numbers", BilledHoursRow{ID: -1, ClientID: -2, ProjectID: &neg, TaskID: &neg,
			HoursWorked: -5, HoursBilled: -150, Rate: dec(-1), Amount: dec(-99999)}},
		{"sub-second and zoned times", BilledHoursRow{BilledAt: &nanos}},
		{"offset time", BilledHoursRow{BilledAt: &zoned}},
		{"every control byte", BilledHoursRow{Description: controlBytes()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkAppender(t, tt.row) })
	}
}

func controlBytes() string {
	var b strings.Builder
	for c := range 0x20 {
		b.WriteByte(byte(c))
	}
	return b.String()
}

// A billed_at encoding/json cannot write is an error for AppendJSON too.
func TestAppendJSONTimeOutOfRange(t *testing.T) {
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := (BilledHoursRow{BilledAt: &late}).AppendJSON(nil); err == nil {
		t.Fatal("year 10000: want an error, as from encoding/json")
	}
	checkAppender(t, BilledHoursRow{BilledAt: &late})
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("Tailspin Dental", "T1", "2026-02-03", "a\"b\\c<d>&e\x00\x1f\u2028\xff", int64(150), int64(1_700_000_000), int64(5))
	f.Add("", "", "", "日本語 😀 \t\n\r", int64(-1), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, name, task, date, desc string, hundredths, unix, nanos int64) {
		at := time.Unix(unix, nanos%1e9).UTC()
		rate := Decimal(hundredths)
		checkAppender(t, BilledHoursRow{ID: hundredths, ClientName: name, ProjectName: &desc, TaskNumber: &task, TicketNumber: &name,
			TaskTitle: &desc, WorkedDate: Date(date), HoursBilled: Decimal(hundredths), Rate: &rate, Description: desc, BilledAt: &at})
	})
}

func benchRow() BilledHoursRow {
	id, task, title, who := int64(104), "T20260201.0005", "Mount the rack", "Tom Berg"
	rate, amount := Decimal(15000), Decimal(45000)
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	project, number, name := int64(5), "P20260201.0005", "Rack install"
	return BilledHoursRow{ID: 1000001, ClientID: 300, ClientName: "Tailspin Dental", ProjectID: &project,
		ProjectNumber: &number, ProjectName: &name, TaskID: &id, TaskNumber: &task, TaskTitle: &title,
		Resource: &who, WorkedDate: "2026-02-03", HoursWorked: 350, HoursBilled: 300, Rate: &rate, Amount: &amount,
		Description: "Synthetic work 1", BilledAt: &at}
}

func BenchmarkBilledHoursRowJSON(b *testing.B) {
	row := benchRow()
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf, _ = row.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		enc := json.NewEncoder(io.Discard)
		enc.SetEscapeHTML(false)
		for b.Loop() {
			enc.Encode(row)
		}
	})
}
