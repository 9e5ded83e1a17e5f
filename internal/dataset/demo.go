package dataset

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
)

// DemoJSON is the built-in demo data set: testdata/example-import.json plus a
// sub-sub-organization, a second end client, users of every system level and
// a custom level without permissions, a disabled login, and more tasks and
// billing items. Every password is "demo".
//
//go:embed demo.json
var DemoJSON []byte

// DemoOptions add synthetic rows for load tests.
type DemoOptions struct {
	BillingItems int // billed to Fabrikam Partners on its end clients' projects
	Projects     int // Contoso Ltd client projects (visible to ava and adam)
	// Tickets are end-client tickets of Tailspin Dental billed to Fabrikam
	// Partners, each with one billing item.
	Tickets int
}

// WriteDemo writes the demo data set plus the synthetic rows, streaming:
// the synthetic rows are generated one at a time, never held. The data is
// deterministic, so two runs give the same file.
func WriteDemo(w io.Writer, opt DemoOptions) error {
	var base map[string]json.RawMessage
	if err := json.Unmarshal(DemoJSON, &base); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString("{")
	for i, kind := range Kinds {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n %q: ", kind)
		extra := 0
		var gen func(bw *bufio.Writer, i int)
		switch kind {
		case "projects":
			extra, gen = opt.Projects, syntheticProject
		case "tickets":
			extra, gen = opt.Tickets, syntheticTicket
		case "billing_items":
			extra, gen = opt.BillingItems+opt.Tickets, func(bw *bufio.Writer, n int) {
				if n < opt.BillingItems {
					syntheticBillingItem(bw, n)
				} else {
					syntheticTicketItem(bw, n-opt.BillingItems)
				}
			}
		}
		raw := base[kind]
		if extra == 0 || len(raw) < 2 {
			bw.Write(raw)
			continue
		}
		bw.Write(raw[:len(raw)-1]) // the array without its closing bracket
		for n := range extra {
			bw.WriteString(",\n")
			gen(bw, n)
		}
		bw.WriteString("]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

var statuses = []string{"new", "in_progress", "in_progress", "on_hold", "complete"}

func syntheticProject(bw *bufio.Writer, n int) {
	month, day := 1+n%12, 1+n%28
	fmt.Fprintf(bw, `{"id":%d,"number":"P2025%02d%02d.%05d","name":"Synthetic project %d","organization_id":100,"status":%q,"contract_id":500,"lead_resource_id":%d,"start_date":"2025-%02d-%02d","estimated_hours":%d}`,
		100000+n, month, day, n, n, statuses[n%len(statuses)], 9001+n%2, month, day, 8+n%200)
}

func syntheticTicket(bw *bufio.Writer, n int) {
	month, day := 1+n%12, 1+n%28
	fmt.Fprintf(bw, `{"id":%d,"number":"T2025%02d%02d.%05d","title":"Synthetic ticket %d","status":%q,"organization_id":300,"contract_id":503,"assigned_resource_id":%d,"queue":"Service Desk","category":"Hardware","created_at":"2025-%02d-%02dT15:00:00Z"}`,
		200000+n, month, day, n, n, statuses[n%len(statuses)], 9001+n%2, month, day)
}

// syntheticTicketItem bills synthetic ticket n to Fabrikam (contract 501),
// which makes it an end-client ticket of Fabrikam: the ticket's own
// contract (503) bills Tailspin itself.
func syntheticTicketItem(bw *bufio.Writer, n int) {
	month, day := 1+n%12, 1+n%28
	quarters := 1 + n%32
	fmt.Fprintf(bw, `{"id":%d,"ticket_id":%d,"resource_id":%d,"contract_id":501,"worked_date":"2025-%02d-%02d","hours_worked":%d.%02d,"hours_billed":%d.%02d,"rate":150,"description":"Synthetic ticket work %d"}`,
		2_000_000+n, 200000+n, 9001+n%2, month, day, quarters/4, quarters%4*25, quarters/4, quarters%4*25, n)
}

// syntheticBillingItem spreads items over three years on the two end-client
// projects billed to Fabrikam, with hours in 0.25 steps and a few rates.
func syntheticBillingItem(bw *bufio.Writer, n int) {
	project, task, contract := 5, 104, 501
	if n%3 == 2 {
		project, task, contract = 8, 109, 502
	}
	day := n % (3 * 365)
	year, yday := 2024+day/365, day%365
	month, mday := 1+yday/31%12, 1+yday%28
	quarters := 1 + n%32
	fmt.Fprintf(bw, `{"id":%d,"project_id":%d,"task_id":%d,"resource_id":%d,"contract_id":%d,"worked_date":"%d-%02d-%02d","hours_worked":%d.%02d,"hours_billed":%d.%02d,"rate":%d,"description":"Synthetic work %d","billed_at":"%d-%02d-%02dT18:00:00Z"}`,
		1_000_000+n, project, task, 9001+n%2, contract, year, month, mday,
		quarters/4, quarters%4*25, quarters/4, quarters%4*25, []int{95, 120, 150}[n%3], n, year, month, mday)
}
