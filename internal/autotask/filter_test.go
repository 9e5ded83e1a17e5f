package autotask

import (
	"encoding/json"
	"testing"
	"time"
)

func TestFilterJSON(t *testing.T) {
	tests := []struct {
		name string
		f    Filter
		want string
	}{
		{"eq", Eq("companyID", 100), `{"op":"eq","field":"companyID","value":100}`},
		{"eq zero keeps value", Eq("parentCompanyID", 0), `{"op":"eq","field":"parentCompanyID","value":0}`},
		{"eq false keeps value", Eq("isActive", false), `{"op":"eq","field":"isActive","value":false}`},
		{"noteq", NotEq("status", 5), `{"op":"noteq","field":"status","value":5}`},
		{"gte time", Gte("lastActivityDate", "2026-01-05T00:00:00Z"), `{"op":"gte","field":"lastActivityDate","value":"2026-01-05T00:00:00Z"}`},
		{"gt time.Time in UTC without fraction", Gt("createDateTime", time.Date(2026, 1, 5, 16, 0, 0, 5e8, time.FixedZone("CET", 3600))),
			`{"op":"gt","field":"createDateTime","value":"2026-01-05T15:00:00Z"}`},
		{"lt", Lt("id", 9), `{"op":"lt","field":"id","value":9}`},
		{"contains", Contains("title", "VPN"), `{"op":"contains","field":"title","value":"VPN"}`},
		{"in", In("projectID", []int64{5, 7, 9}), `{"op":"in","field":"projectID","value":[5,7,9]}`},
		{"exist has no value", Exist("completedDateTime"), `{"op":"exist","field":"completedDateTime"}`},
		{"notExist", NotExist("parentCompanyID"), `{"op":"notExist","field":"parentCompanyID"}`},
		{"udf", Eq("Portal Contact", "1001").AsUDF(), `{"op":"eq","field":"Portal Contact","value":"1001","udf":true}`},
		{"udf contains", Contains("Portal Team Contacts", ",1001,").AsUDF(), `{"op":"contains","field":"Portal Team Contacts","value":",1001,","udf":true}`},
		{"and", And(Eq("projectID", 5), Eq("isVisibleInClientPortal", true)),
			`{"op":"and","items":[{"op":"eq","field":"projectID","value":5},{"op":"eq","field":"isVisibleInClientPortal","value":true}]}`},
		{"or with udf", Or(Eq("assignedResourceID", 29682885), Eq("Portal Contact", "1001").AsUDF()),
			`{"op":"or","items":[{"op":"eq","field":"assignedResourceID","value":29682885},{"op":"eq","field":"Portal Contact","value":"1001","udf":true}]}`},
		{"nested", And(Or(Eq("a", 1), Eq("b", 2)), NotExist("c")),
			`{"op":"and","items":[{"op":"or","items":[{"op":"eq","field":"a","value":1},{"op":"eq","field":"b","value":2}]},{"op":"notExist","field":"c"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestQueryJSON(t *testing.T) {
	q := Query{Filter: []Filter{Eq("projectID", 5)}, IncludeFields: []string{"id", "title"}, MaxRecords: 500}
	got, _ := json.Marshal(q)
	want := `{"filter":[{"op":"eq","field":"projectID","value":5}],"IncludeFields":["id","title"],"MaxRecords":500}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-01-05T15:00:00Z", want},
		{"2026-01-05T15:00:00.123Z", want.Add(123 * time.Millisecond)},
		{"2026-01-05T15:00:00", want},
		{"2026-01-05T15:00:00.1234567", want.Add(123456700)},
		{"2026-01-05T16:00:00+01:00", want},
		{"2026-01-05", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseTime("05/01/2026"); err == nil || err.Error() != `autotask: "05/01/2026" is not a timestamp (want like 2026-01-05T15:00:00Z)` {
		t.Errorf("bad timestamp error = %v", err)
	}
}

func TestTimeJSON(t *testing.T) {
	var rec struct {
		Created   Time `json:"createDateTime"`
		Completed Time `json:"completedDateTime"`
		Empty     Time `json:"lastActivityDate"`
	}
	body := `{"createDateTime":"2026-01-05T15:00:00.123Z","completedDateTime":null,"lastActivityDate":""}`
	if err := json.Unmarshal([]byte(body), &rec); err != nil {
		t.Fatal(err)
	}
	if !rec.Created.Equal(time.Date(2026, 1, 5, 15, 0, 0, 123e6, time.UTC)) || !rec.Completed.IsZero() || !rec.Empty.IsZero() {
		t.Errorf("decoded %+v", rec)
	}
	out, _ := json.Marshal(rec)
	if want := `{"createDateTime":"2026-01-05T15:00:00.123Z","completedDateTime":null,"lastActivityDate":null}`; string(out) != want {
		t.Errorf("encoded %s, want %s", out, want)
	}
	if err := json.Unmarshal([]byte(`{"createDateTime":17}`), &rec); err == nil {
		t.Error("a number decoded as a timestamp")
	}
}
