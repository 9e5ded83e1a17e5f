package client

import (
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// newEndClientTicketDecoder is the fast path of `endclient tickets --all`,
// one per stream, as newBilledHoursDecoder is the export's: it decodes a
// line of the exact shape portald writes into a zero ticket with two
// allocations, and reports false for anything else, which encoding/json
// then decodes. FuzzEndClientTicketRow holds the two to the same result.
func newEndClientTicketDecoder() func(line []byte, t *api.EndClientTicket) bool {
	d := &rowDecoder{}
	var t *api.EndClientTicket
	var x *ticketExtras
	more := func() *ticketExtras {
		if x == nil {
			x = &ticketExtras{}
		}
		return x
	}
	field := func(key []byte) bool {
		switch string(key) {
		case "id":
			return d.int(&t.ID)
		case "number":
			return d.text(&t.Number)
		case "title":
			return d.text(&t.Title)
		case "description":
			return d.text(&t.Description)
		case "status":
			return d.text(&t.Status)
		case "priority":
			return null(d, &t.Priority) || d.text(&more().priority) && set(&t.Priority, &x.priority)
		case "organization_id":
			return d.int(&t.OrganizationID)
		case "organization_name":
			return d.text(&t.OrganizationName)
		case "contract_id":
			return null(d, &t.ContractID) || d.int(&more().contractID) && set(&t.ContractID, &x.contractID)
		case "assigned_resource":
			return null(d, &t.AssignedResource) || d.text(&more().assignee) && set(&t.AssignedResource, &x.assignee)
		case "queue":
			return d.text(&t.Queue)
		case "category":
			return d.text(&t.Category)
		case "created_at":
			return d.time(&t.CreatedAt)
		case "due_at":
			return null(d, &t.DueAt) || d.time(&more().due) && set(&t.DueAt, &x.due)
		case "completed_at":
			return null(d, &t.CompletedAt) || d.time(&more().completed) && set(&t.CompletedAt, &x.completed)
		case "billed_hours":
			return d.decimal(&t.BilledHours)
		}
		return false
	}
	return func(line []byte, r *api.EndClientTicket) bool {
		*d = rowDecoder{b: line, buf: d.buf[:0]}
		t, x = r, nil
		if !d.object(field) {
			return false
		}
		d.finish()
		return true
	}
}

// ticketExtras holds the pointed-to values of a ticket's optional fields,
// one allocation for all of them.
type ticketExtras struct {
	priority, assignee string
	contractID         int64
	due, completed     time.Time
}
