package api

import "time"

// Charge is a billed item that is not labour (an expense, a milestone, a
// project or contract charge, a service), billed to the user's
// organization on an end client's project. Its quantity counts units,
// never hours: charges are listed apart from billed hours.
type Charge struct {
	ID            int64      `json:"id"`
	ClientID      int64      `json:"client_id"`
	ClientName    string     `json:"client_name"`
	ProjectID     int64      `json:"project_id"`
	ProjectNumber string     `json:"project_number"`
	ProjectName   string     `json:"project_name"`
	TaskID        *int64     `json:"task_id"`
	Kind          string     `json:"kind"` // expense, milestone, charge, service or other
	Date          Date       `json:"date"`
	Name          string     `json:"name"`
	Description   string     `json:"description"`
	Quantity      Decimal    `json:"quantity"`
	Rate          *Decimal   `json:"rate"`
	Amount        *Decimal   `json:"amount"`
	BilledAt      *time.Time `json:"billed_at"`
}
