package api

import (
	"bytes"
	"testing"
	"time"
)

// checkAppender compares v.AppendJSON with encoding/json: same bytes, or an
// error from both.
func checkAppender[T interface {
	AppendJSON([]byte) ([]byte, error)
}](t testing.TB, v T) {
	t.Helper()
	want, wantErr := encodingJSON(t, v)
	got, err := v.AppendJSON([]byte("prefix"))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("AppendJSON error %v, encoding/json error %v", err, wantErr)
	}
	if wantErr != nil {
		return
	}
	if !bytes.HasPrefix(got, []byte("prefix")) {
		t.Fatalf("AppendJSON did not append to dst: %q", got)
	}
	if got = got[len("prefix"):]; !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from encoding/json\n got %s\nwant %s", got, want)
	}
}

// checkProject checks p alone and embedded in an EndClientProject.
func checkProject(t testing.TB, p Project, billed Decimal) {
	t.Helper()
	checkAppender(t, p)
	checkAppender(t, EndClientProject{Project: p, BilledHours: billed})
}

func TestProjectAppendJSONMatchesEncodingJSON(t *testing.T) {
	str := func(s string) *string { return &s }
	dec := func(d Decimal) *Decimal { return &d }
	date := func(d Date) *Date { return &d }
	tm := func(t time.Time) *time.Time { return &t }
	at := time.Date(2026, 2, 4, 1, 30, 0, 0, time.UTC)
	tricky := "quote \" backslash \\ slash / <b>&amp;</b> tab\t nl\n cr\r bs\b ff\f nul\x00 us\x1f del\x7f " +
		"é ü 日本 😀 ls\u2028 ps\u2029 bad\xff\xfe end"
	tests := []struct {
		name   string
		p      Project
		billed Decimal
	}{
		{"zero value: nil pointers are null", Project{}, 0},
		{"typical project", Project{ID: 5, Number: "P20260201.0005", Name: "Rack install", Status: ProjectInProgress,
			OrganizationID: 300, OrganizationName: "Tailspin Dental", StartDate: date("2026-02-01"), EndDate: date("2026-03-31"),
			CompletedAt: &at, Lead: str("Tom Berg"), Description: "Racks & <cables>", EstimatedHours: dec(4050),
			PercentComplete: dec(3333)}, 1250},
		{"tricky strings everywhere", Project{Number: tricky, Name: tricky, Status: tricky, OrganizationName: tricky,
			StartDate: date(Date(tricky)), EndDate: date(Date(tricky)), Lead: str(tricky), Description: tricky}, 0},
		{"every control byte", Project{Name: controlBytes(), Lead: str(controlBytes())}, 0},
		{"empty strings and zero pointers", Project{StartDate: date(""), EndDate: date(""), CompletedAt: tm(time.Time{}),
			Lead: str(""), EstimatedHours: dec(0), PercentComplete: dec(0)}, 0},
		{"negative numbers", Project{ID: -1, OrganizationID: -2, EstimatedHours: dec(-1), PercentComplete: dec(-99999)}, -150},
		{"nanoseconds", Project{CompletedAt: tm(time.Date(2026, 2, 4, 1, 30, 0, 123456789, time.UTC))}, 1},
		{"trailing zero nanoseconds", Project{CompletedAt: tm(time.Date(2026, 2, 4, 1, 30, 0, 120000000, time.UTC))}, 1},
		{"negative offset", Project{CompletedAt: tm(time.Date(2026, 2, 4, 1, 30, 0, 5, time.FixedZone("EST", -5*3600)))}, 1},
		{"offset with minutes", Project{CompletedAt: tm(time.Date(2026, 2, 4, 1, 30, 0, 0, time.FixedZone("", 5*3600+45*60)))}, 1},
		{"named zone", Project{CompletedAt: tm(at.In(mustLoad(t, "America/New_York")))}, 1},
		{"year 0", Project{CompletedAt: tm(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))}, 1},
		{"year 9999", Project{CompletedAt: tm(time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC))}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkProject(t, tt.p, tt.billed) })
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	return loc
}

// A completed_at encoding/json cannot write is an error for AppendJSON too,
// for EndClientProject as well.
func TestProjectAppendJSONTimeErrors(t *testing.T) {
	for name, at := range map[string]time.Time{
		"year 10000":   time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"year -1":      time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		"offset ≥ 24h": time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	} {
		t.Run(name, func(t *testing.T) {
			p := Project{CompletedAt: &at}
			if _, err := p.AppendJSON(nil); err == nil {
				t.Fatal("want an error, as from encoding/json")
			}
			if _, err := (EndClientProject{Project: p}).AppendJSON(nil); err == nil {
				t.Fatal("EndClientProject: want an error, as from encoding/json")
			}
			checkProject(t, p, 0)
		})
	}
}

func FuzzProjectAppendJSON(f *testing.F) {
	f.Add("Rack install", "2026-02-03", "a\"b\\c<d>&e\x00\x1f\u2028\xff", int64(150), int64(1_700_000_000), int64(5), int16(-300), uint8(0))
	f.Add("", "", "日本語 😀 \t\n\r", int64(-1), int64(0), int64(0), int16(0), uint8(0xff))
	f.Add("x", "y", "z", int64(1), int64(253402300800), int64(0), int16(1440), uint8(0))
	f.Fuzz(func(t *testing.T, name, date, desc string, hundredths, unix, nanos int64, offsetMin int16, nils uint8) {
		at := time.Unix(unix, nanos%1e9).In(time.FixedZone("", int(offsetMin)*60))
		d, est := Date(date), Decimal(hundredths)
		p := Project{ID: hundredths, Number: name, Name: name, Status: desc, OrganizationID: unix, OrganizationName: desc,
			StartDate: &d, EndDate: &d, CompletedAt: &at, Lead: &desc, Description: desc, EstimatedHours: &est, PercentComplete: &est}
		// Each bit of nils makes one pointer nil.
		if nils&1 != 0 {
			p.StartDate = nil
		}
		if nils&2 != 0 {
			p.EndDate = nil
		}
		if nils&4 != 0 {
			p.CompletedAt = nil
		}
		if nils&8 != 0 {
			p.Lead = nil
		}
		if nils&16 != 0 {
			p.EstimatedHours = nil
		}
		if nils&32 != 0 {
			p.PercentComplete = nil
		}
		checkProject(t, p, Decimal(-hundredths))
	})
}
