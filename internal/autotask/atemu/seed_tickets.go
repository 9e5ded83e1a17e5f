package atemu

import (
	"fmt"

	"github.com/portalctl/portalctl/internal/dataset"
)

// seedTicket maps a ticket: its status, priority, queue and category are
// picklist values of Tickets (status the shared task and ticket list),
// chosen by the portal's label; its number, dates and assignee (with the
// role Autotask requires with one) as on tasks. A queue or category the
// emulator's picklists lack is an error: the ticket would lose it.
func (s *Server) seedTicket(r *dataset.Ticket) error {
	queue, err := pickByLabel("queueID", ticketQueue, r.Queue)
	if err != nil {
		return err
	}
	category, err := pickByLabel("ticketCategory", ticketCategory, r.Category)
	if err != nil {
		return err
	}
	s.add("Tickets", r.ID, row{"ticketNumber": r.Number, "title": r.Title, "description": optText(r.Description),
		"status": pickID(taskStatusID, r.Status, "new"), "priority": pickID(ticketPriorityID, r.Priority, ""),
		"companyID": id(r.OrganizationID), "contractID": optID(r.ContractID),
		"assignedResourceID": optID(r.AssignedResourceID), "assignedResourceRoleID": roleOf(r.AssignedResourceID),
		"queueID": queue, "ticketCategory": category, "createDate": stamp(&r.CreatedAt), "dueDateTime": stamp(r.DueAt),
		"completedDate": stamp(r.CompletedAt)}, nil)
	return nil
}

// pickByLabel is the id of a picklist value by its label (nil for "").
func pickByLabel(field string, picks []pick, label string) (any, error) {
	if label == "" {
		return nil, nil
	}
	for _, p := range picks {
		if p.label == label {
			return float64(p.id), nil
		}
	}
	return nil, fmt.Errorf("atemu: the Tickets %s picklist has no value labelled %q; add it to the emulator's tenant data (schema.go)",
		field, label)
}
