package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// TestBilledHoursSummary: the summary of chloe's billed hours by client and
// month is the sum of the rows the export streams for the same filters,
// and its total the sum of everything; bad keys are 400 with the choices.
func TestBilledHoursSummary(t *testing.T) { portaltest.EachBackend(t, testBilledHoursSummary) }

func testBilledHoursSummary(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	chloe := e.token("chloe")
	for _, filter := range []string{"", "&client=300", "&from=2026-02-04&to=2026-02-28", "&kind=ticket", "&kind=project"} {
		_, _, body := e.call("GET", "/v1/end-client/billed-hours?limit=500"+filter, chloe, "", "Accept", "application/x-ndjson")
		want := map[string]api.BilledHoursTotal{}
		var total api.BilledHoursTotal
		sc := bufio.NewScanner(strings.NewReader(body))
		for sc.Scan() {
			var r api.BilledHoursRow
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			key := fmt.Sprintf("%d %s", r.ClientID, r.WorkedDate[:7])
			g := want[key]
			row := api.BilledHoursTotal{Items: 1, HoursWorked: r.HoursWorked, HoursBilled: r.HoursBilled, Amount: r.Amount}
			g.Add(row)
			total.Add(row)
			want[key] = g
		}
		status, _, body := e.call("GET", "/v1/end-client/billed-hours/summary?by=client,month"+filter, chloe, "")
		var sum api.BilledHoursSummary
		if status != 200 || json.Unmarshal([]byte(body), &sum) != nil {
			t.Fatalf("summary: %d %s", status, body)
		}
		if len(sum.Items) != len(want) || len(want) == 0 && filter == "" {
			t.Fatalf("%s: %d groups, the export has %d: %s", filter, len(sum.Items), len(want), body)
		}
		for _, g := range sum.Items {
			w := want[fmt.Sprintf("%d %s", *g.ClientID, *g.Month)]
			if g.Items != w.Items || g.HoursWorked != w.HoursWorked || g.HoursBilled != w.HoursBilled || amount(g.Amount) != amount(w.Amount) ||
				g.ProjectID != nil || g.Resource != nil || *g.ClientName == "" {
				t.Errorf("%s: group %s", filter, body)
			}
		}
		if sum.Total.Items != total.Items || sum.Total.HoursBilled != total.HoursBilled || amount(sum.Total.Amount) != amount(total.Amount) {
			t.Errorf("%s: total %+v, the export sums to %+v", filter, sum.Total, total)
		}
	}
	for path, want := range map[string]string{
		"/v1/end-client/billed-hours/summary?by=week":         `cannot total by "week": choose from client, project, month, resource`,
		"/v1/end-client/billed-hours/summary?by=month,month":  "month is named twice",
		"/v1/end-client/billed-hours/summary?from=2026-02-30": "from",
		"/v1/end-client/billed-hours/summary?kind=expense":    "unknown kind",
	} {
		status, _, body := e.call("GET", path, chloe, "")
		if status != 400 || !strings.Contains(errorOf(t, body).Message, want) {
			t.Errorf("%s: %d %s", path, status, body)
		}
	}
	status, _, body := e.call("GET", "/v1/end-client/billed-hours/summary", chloe, "")
	var all api.BilledHoursSummary
	if status != 200 || json.Unmarshal([]byte(body), &all) != nil || len(all.Items) != 1 || all.Items[0].Items != all.Total.Items || len(all.By) != 0 {
		t.Errorf("no keys: one group of everything: %d %s", status, body)
	}
}

func amount(d *api.Decimal) string {
	if d == nil {
		return "null"
	}
	return d.String()
}
