package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestBilledHoursSince(t *testing.T) { portaltest.EachBackend(t, testBilledHoursSince) }

// testBilledHoursSince: a stream tells its position; since that position
// the changes come as entries, the same over NDJSON and over pages (whose
// cursor pins the first page's position while data keeps landing); a
// position of another database or ahead of this one is refused.
func testBilledHoursSince(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{})
	chloe := e.token("chloe")
	const path = "/v1/end-client/billed-hours"
	stream := func(query string) (string, []api.BilledHoursRow) {
		t.Helper()
		status, hdr, body := e.call("GET", path+query, chloe, "", "Accept", "application/x-ndjson")
		if status != 200 {
			t.Fatalf("%s: %d %s", query, status, body)
		}
		return hdr.Get("Portal-Feed-Position"), ndjsonRows(t, body)
	}
	pos, rows := stream("")
	if len(rows) != demoBilledRows || rows[0].Entry != api.EntryNew {
		t.Fatalf("full export: %+v", rows)
	}
	exported := map[int64]api.BilledHoursRow{}
	for _, r := range rows {
		exported[r.ID] = r
	}
	imp := e.db.DB // on Autotask: the copy, as the sync writes it
	feed, _, ok := strings.Cut(pos, ":")
	if !ok || feed == "" {
		t.Fatalf("Portal-Feed-Position %q", pos)
	}
	if again, rows := stream("?since=" + url.QueryEscape(pos)); again != pos || len(rows) != 0 {
		t.Fatalf("nothing changed, yet since %s gave position %s and %+v", pos, again, rows)
	}
	change := func(recs ...any) {
		t.Helper()
		if err := imp.Import(context.Background(), func(w dataset.Writer) error {
			for _, r := range recs {
				if err := w.Write(r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	rate := api.Decimal(15000)
	change(&dataset.BillingItem{ID: 60001, ProjectID: 5, ContractID: 501, WorkedDate: "2026-02-03", HoursWorked: 350, HoursBilled: 250,
		Rate: &rate, Description: "Rack move (corrected)"},
		&dataset.BillingItem{ID: 59000, ProjectID: 5, ContractID: 501, WorkedDate: "2025-12-01", HoursWorked: 100, HoursBilled: 100},
		dataset.BillingItemRemoval{ID: 60005})
	next, rows := stream("?since=" + url.QueryEscape(pos))
	got := entries(rows)
	if want := "59000 new 1.00, 60001 reversal -3.00, 60001 correction 2.50, 60005 reversal -0.10"; got != want || next == pos {
		t.Fatalf("since %s: position %s, rows\n%s\nwant\n%s", pos, next, got, want)
	}
	// The reversal undoes the amount exported (Autotask's extendedPrice on
	// the copy, hours billed × rate elsewhere); the correction has no
	// amount of its own, so hours billed × rate.
	if rows[1].Amount == nil || *rows[1].Amount != -*exported[60001].Amount || rows[2].Amount.String() != "375.00" {
		t.Errorf("amounts: reversal %v (exported %v), correction %v", rows[1].Amount, exported[60001].Amount, rows[2].Amount)
	}
	// Pages of one limit, with a change landing between them: the same
	// rows, and every page names the first page's position.
	var paged []api.BilledHoursRow
	cursor := ""
	for i := 0; ; i++ {
		q := "?limit=1&since=" + url.QueryEscape(pos)
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		status, hdr, body := e.call("GET", path+q, chloe, "")
		if status != 200 || hdr.Get("Portal-Feed-Position") != next {
			t.Fatalf("page %d: %d position %q (want %q) %s", i, status, hdr.Get("Portal-Feed-Position"), next, body)
		}
		var page api.List[api.BilledHoursRow]
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page.Items...)
		if i == 0 {
			change(&dataset.BillingItem{ID: 59001, ProjectID: 5, ContractID: 501, WorkedDate: "2025-12-02", HoursWorked: 100, HoursBilled: 100},
				dataset.BillingItemRemoval{ID: 60001})
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if entries(paged) != got {
		t.Fatalf("pages gave\n%s\nwant\n%s", entries(paged), got)
	}
	_, rows = stream("?since=" + url.QueryEscape(next))
	if got, want := entries(rows), "59001 new 1.00, 60001 reversal -2.50"; got != want {
		t.Fatalf("since %s: %s, want %s", next, got, want)
	}
	for _, bad := range []struct {
		since  string
		status int
	}{{"deadbeef:1", 409}, {feed + ":999999", 409}, {"12", 400}, {feed + ":-1", 400}} {
		status, _, body := e.call("GET", path+"?since="+url.QueryEscape(bad.since), chloe, "")
		if status != bad.status || errorOf(t, body).Details["field"] != "since" {
			t.Errorf("since=%s: %d %s", bad.since, status, body)
		}
	}
}

// demoBilledRows is how many billing items the demo bills to Fabrikam:
// three of projects and two of tickets.
const demoBilledRows = 5

func ndjsonRows(t *testing.T, body string) []api.BilledHoursRow {
	t.Helper()
	var rows []api.BilledHoursRow
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		var row api.BilledHoursRow
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		rows = append(rows, row)
	}
	return rows
}

// entries is "id entry hours_billed, …".
func entries(rows []api.BilledHoursRow) string {
	var s []string
	for _, r := range rows {
		s = append(s, strings.Join([]string{strconv.FormatInt(r.ID, 10), r.Entry, r.HoursBilled.String()}, " "))
	}
	return strings.Join(s, ", ")
}
