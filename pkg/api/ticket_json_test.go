package api

import (
	"testing"
	"time"
)

func TestEndClientTicketAppendJSONMatchesEncodingJSON(t *testing.T) {
	str := func(s string) *string { return &s }
	num := func(n int64) *int64 { return &n }
	tm := func(t time.Time) *time.Time { return &t }
	at := time.Date(2026, 1, 5, 9, 15, 0, 0, time.UTC)
	tricky := "quote \" backslash \\ slash / <b>&amp;</b> tab\t nl\n cr\r bs\b ff\f nul\x00 us\x1f del\x7f " +
		"é ü 日本 😀 ls\u2028 ps\u2029 bad\xff\xfe end"
	tests := []struct {
		name string
		t    EndClientTicket
	}{
		{"zero value: nil pointers are null", EndClientTicket{}},
		{"typical ticket", EndClientTicket{ID: 7001, Number: "T20260105.0001", Title: "Printer offline",
			Description: "The 3rd floor printer shows \"offline\"", Status: "in_progress", Priority: str("high"),
			OrganizationID: 300, OrganizationName: "Tailspin Dental", ContractID: num(501), AssignedResource: str("Tom Berg"),
			Queue: "Service Desk", Category: "Hardware", CreatedAt: at, DueAt: tm(at.AddDate(0, 0, 2)),
			CompletedAt: tm(at.Add(90 * time.Minute)), BilledHours: 125}},
		{"tricky strings everywhere", EndClientTicket{Number: tricky, Title: tricky, Description: tricky, Status: tricky,
			Priority: str(tricky), OrganizationName: tricky, AssignedResource: str(tricky), Queue: tricky, Category: tricky}},
		{"every control byte", EndClientTicket{Title: controlBytes(), AssignedResource: str(controlBytes())}},
		{"empty strings and zero pointers", EndClientTicket{Priority: str(""), ContractID: num(0), AssignedResource: str(""),
			DueAt: tm(time.Time{}), CompletedAt: tm(time.Time{})}},
		{"negative numbers", EndClientTicket{ID: -1, OrganizationID: -2, ContractID: num(-3), BilledHours: -150}},
		{"nanoseconds and offsets", EndClientTicket{CreatedAt: time.Date(2026, 2, 4, 1, 30, 0, 123456789, time.UTC),
			DueAt:       tm(time.Date(2026, 2, 4, 1, 30, 0, 120000000, time.FixedZone("", 5*3600+45*60))),
			CompletedAt: tm(time.Date(2026, 2, 4, 1, 30, 0, 5, time.FixedZone("EST", -5*3600)))}},
		{"year 0 and 9999", EndClientTicket{CreatedAt: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
			DueAt: tm(time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkAppender(t, tt.t) })
	}
}

// An instant encoding/json cannot write is an error for AppendJSON too,
// in each of the three time fields.
func TestEndClientTicketAppendJSONTimeOutOfRange(t *testing.T) {
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tk := range []EndClientTicket{{CreatedAt: late}, {DueAt: &late}, {CompletedAt: &late}} {
		if _, err := tk.AppendJSON(nil); err == nil {
			t.Fatalf("%+v: want an error, as from encoding/json", tk)
		}
		checkAppender(t, tk)
	}
}

func FuzzEndClientTicketAppendJSON(f *testing.F) {
	f.Add(int64(7001), "T20260105.0001", "Printer offline", "a\"b\\c<d>&e\x00\x1f\u2028\xff", "high", int64(1_700_000_000), int64(5), true)
	f.Add(int64(-1), "", "", "日本語 😀 \t\n\r", "", int64(0), int64(0), false)
	f.Fuzz(func(t *testing.T, id int64, number, title, text, priority string, unix, nanos int64, set bool) {
		at := time.Unix(unix, nanos%1e9).In(time.FixedZone("", int(nanos%86400)))
		tk := EndClientTicket{ID: id, Number: number, Title: title, Description: text, Status: priority,
			OrganizationID: -id, OrganizationName: text, Queue: title, Category: number, CreatedAt: at, BilledHours: Decimal(id)}
		if set {
			tk.Priority, tk.ContractID, tk.AssignedResource, tk.DueAt, tk.CompletedAt = &priority, &id, &text, &at, &at
		}
		checkAppender(t, tk)
	})
}
