package dataset

import (
	"fmt"
	"reflect"
	"testing"
)

// fastCases are records with tricky values. For each, fastRecord must give
// exactly what decodeRecord (encoding/json) gives, or step aside (ok=false)
// for decodeRecord to report the problems; ok says which (a valid record
// is decoded by fastRecord, itself or value by value through encoding/json).
var fastCases = []struct {
	kind, raw string
	ok        bool
}{
	{"billing_items", `{"id":1,"project_id":5,"task_id":104,"resource_id":9002,"contract_id":501,"worked_date":"2026-02-03","hours_worked":3.50,"hours_billed":3.00,"rate":150.00,"description":"Rack move","billed_at":"2026-02-04T01:30:00Z"}`, true},
	{"billing_items", " {\n\t\"id\" : 1 ,\r\n \"project_id\":5, \"contract_id\":501, \"worked_date\":\"2026-02-03\", \"hours_worked\":0, \"hours_billed\":-0.5 } ", true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":-12.25,"hours_billed":7.5,"rate":-0.01}`, true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1.500,"hours_billed":1e2}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":"1.5","hours_billed":1.555}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"rate":null,"task_id":null,"billed_at":null}`, true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"billed_at":"2026-02-04T01:30:00.123+05:30"}`, true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"billed_at":"2026-02-04 01:30:00"}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"billed_at":"2026-02-04T01:30:00\u005a"}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":null,"hours_worked":1,"hours_billed":1}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"hours_worked":1,"hours_billed":1}`, false},
	{"billing_items", `{"id":1,"id":2,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1}`, false},
	{"billing_items", `{"ID":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1}`, false},
	{"billing_items", `{"i\u0064":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1}x`, false},
	{"billing_items", `{"id":1 "project_id":5}`, false},
	{"billing_items", `{"id":-0,"project_id":9223372036854775807,"contract_id":-9223372036854775808,"worked_date":"","hours_worked":1,"hours_billed":1}`, true},
	{"billing_items", `{"id":123456789012345678,"project_id":1.0,"contract_id":1e0,"worked_date":"x","hours_worked":1,"hours_billed":1}`, false},
	{"billing_items", `{"id":007,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":01.5,"hours_billed":1}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":--1,"hours_billed":-}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":999999999999999.99,"hours_billed":1000000000000000}`, true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":99999999999999999,"hours_billed":1}`, false},
	{"billing_items", `[1,2]`, false},
	{"billing_items", `{}`, false},
	{"billing_items", "{\"id\":1,\"project_id\":5,\"contract_id\":501,\"worked_date\":\"2026-02-03\",\"hours_worked\":1,\"hours_billed\":1,\"description\":\"tab\there\"}", false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"description":"quote \" backslash \\ newline \n nul \u0000 <>& \u2028 \ud83d\ude00 \ud800"}`, true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"description":"Chloé 東京 😀 <b>&amp;</b> ' /"}`, true},
	{"billing_items", "{\"id\":1,\"project_id\":5,\"contract_id\":501,\"worked_date\":\"2026-02-03\",\"hours_worked\":1,\"hours_billed\":1,\"description\":\"bad \xff\xfe utf-8 \xed\xa0\x80\"}", true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"description":""}`, true},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"description":{"a":[1,{"b":"}"}]}}`, false},
	{"billing_items", `{"id":1,"project_id":5,"contract_id":501,"worked_date":"2026-02-03","hours_worked":1,"hours_billed":1,"nope":[1,"]",{}]}`, false},
	{"tasks", `{"id":101,"project_id":1,"phase_id":10,"number":"T1","title":"Title","status":"new","position":0,"is_issue":true,"visible_in_portal":false,"client_completable":true,"estimated_hours":2.5,"created_at":"2026-01-05T15:00:00Z","start_date":"2026-01-05"}`, true},
	{"tasks", `{"id":101,"project_id":1,"number":"T1","title":"Title","status":"new","position":1.5}`, false},
	{"tasks", `{"id":101,"project_id":1,"number":"T1","title":"Title","status":"new","position":2,"is_issue":"true","visible_in_portal":truex}`, false},
	{"tasks", `{"id":101,"project_id":1,"number":"T1","title":"Title","status":"new","position":2,"is_issue":null}`, true},
	{"contacts", `{"id":1,"organization_id":1,"first_name":"A","last_name":"B","password_hash":"$2a$10$x","portal_enabled":false}`, true},
	{"projects", `{"id":1,"number":"P1","name":"N","organization_id":1,"status":"new","password_hash":"x"}`, false},
	{"security_levels", `{"name":"Read Only","permissions":["notes","view_schedule"]}`, true},
	{"security_levels", `{"name":"Read Only","permissions":"notes"}`, false},
	{"attachments", `{"id":1,"project_id":1,"name":"a.txt","content_base64":"aGVsbG8=","created_at":"2026-01-05T15:00:00Z"}`, true},
	{"attachments", `{"id":1,"project_id":1,"name":"a.txt","content_base64":"!!","created_at":"2026-01-05T15:00:00Z"}`, false},
	{"organizations", `{"id":100,"name":"Contoso","time_zone":"America/Chicago"}`, true},
	{"organizations", `{"id":100,"name":"Contoso","notify_resources":false,"parent_id":7}`, true},
	{"portal", `{"name":"P","support_email":"s@x.example"}`, true},
	{"portal", `{"name":"P","support_email":""}`, true},
	{"team", `{"project_id":1,"resource_id":2,"role":"Lead"}`, true},
	{"events", `{"id":1,"project_id":1,"title":"t","starts_at":"2026-01-02T00:00:00+01:00","ends_at":"2026-01-01T00:00:00Z","all_day":true}`, true},
}

func TestFastRecordDecodesLikeEncodingJSON(t *testing.T) {
	for i, c := range fastCases {
		t.Run(fmt.Sprintf("%d_%s", i, c.kind), func(t *testing.T) {
			checkFastRecord(t, c.kind, []byte(c.raw))
			if _, ok := fastRecord(c.kind, []byte(c.raw)); ok != c.ok {
				t.Errorf("fastRecord ok = %v, want %v for %s", ok, c.ok, c.raw)
			}
		})
	}
}

// checkFastRecord fails when fastRecord accepts raw but differs from
// decodeRecord (encoding/json), or accepts a record decodeRecord faults.
func checkFastRecord(t *testing.T, kind string, raw []byte) {
	t.Helper()
	got, ok := fastRecord(kind, raw)
	if !ok {
		return
	}
	ps := &Problems{}
	want := decodeRecord(kind, 0, raw, ps)
	if !ps.empty() {
		t.Fatalf("fastRecord accepted %s, decodeRecord reports:\n%v", raw, ps)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fastRecord(%s)\n got %#v\nwant %#v", raw, got, want)
	}
}

// FuzzFastRecord checks fastRecord against decodeRecord on any bytes, for
// every kind (the first byte picks it).
func FuzzFastRecord(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte{byte(kindIndex[c.kind])}, []byte(c.raw))
	}
	f.Fuzz(func(t *testing.T, k []byte, raw []byte) {
		if len(k) == 0 {
			return
		}
		checkFastRecord(t, Kinds[int(k[0])%len(Kinds)], raw)
	})
}
