package api

// SummaryKeys are what a billed-hours summary can group by, in the order
// the groups are then sorted.
var SummaryKeys = []string{"client", "project", "month", "resource"}

// BilledHoursSummary is GET /v1/end-client/billed-hours/summary: the
// totals of the billed-hours export's rows, by the keys in By.
type BilledHoursSummary struct {
	By    []string           `json:"by"`
	Items []BilledHoursTotal `json:"items"`
	Total BilledHoursTotal   `json:"total"`
}

// BilledHoursTotal is one group's totals. The fields of the keys not
// grouped by are null (and so is the resource of items without one: the
// resource is grouped by its name, as the export shows it); Amount is the
// sum of the rows' amounts, null when no row has a rate.
type BilledHoursTotal struct {
	ClientID      *int64   `json:"client_id"`
	ClientName    *string  `json:"client_name"`
	ProjectID     *int64   `json:"project_id"`
	ProjectNumber *string  `json:"project_number"`
	ProjectName   *string  `json:"project_name"`
	Month         *string  `json:"month"` // YYYY-MM of the worked date
	Resource      *string  `json:"resource"`
	Items         int64    `json:"items"`
	HoursWorked   Decimal  `json:"hours_worked"`
	HoursBilled   Decimal  `json:"hours_billed"`
	Amount        *Decimal `json:"amount"`
}

// Add adds another group's totals to t (the total row).
func (t *BilledHoursTotal) Add(o BilledHoursTotal) {
	t.Items += o.Items
	t.HoursWorked += o.HoursWorked
	t.HoursBilled += o.HoursBilled
	if o.Amount != nil {
		sum := *o.Amount
		if t.Amount != nil {
			sum += *t.Amount
		}
		t.Amount = &sum
	}
}
