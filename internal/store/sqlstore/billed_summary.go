package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// summaryKey is how one grouping key of the summary is spelled in the
// outer query: what it selects and groups by, and the join that needs.
type summaryKey struct {
	cols []string
	join string
}

func (s *Store) summaryKeys() map[string]summaryKey {
	return map[string]summaryKey{
		"client":  {cols: []string{itemClient, "o.name"}, join: " JOIN organizations o ON o.id = " + itemClient},
		"project": {cols: []string{"p.id", "p.number", "p.name"}},
		"month":   {cols: []string{fmt.Sprintf(s.d.Month, "g.worked_date")}},
		// By name, as the export shows the resource (billed_names.go).
		"resource": {cols: []string{"r.first_name || ' ' || r.last_name"}, join: " LEFT JOIN resources r ON r.id = g.resource_id"},
	}
}

// summaryAmount is the export's amount of a row (billedRowScan): the
// amount the item is invoiced for when the data source gives one
// (Autotask's extendedPrice), else hours_billed × rate rounded to the cent
// half away from zero (api.Decimal.MulRound), in integer arithmetic both
// databases do alike (their / truncates).
const summaryAmount = `COALESCE(b.amount, CASE WHEN b.rate IS NULL THEN NULL
	WHEN b.hours_billed * b.rate >= 0 THEN (b.hours_billed * b.rate + 50) / 100
	ELSE -((50 - b.hours_billed * b.rate) / 100) END)`

// BilledHoursSummary totals the billed-hours export's rows under exactly
// the export's rules, in one query of two steps. The inner one adds up the
// items billed to the organization within the dates (billedItemsWhere) by
// contract, worked date, project, ticket and resource: the columns that
// billing_items_summary leads with (in another order on SQLite, which
// matches GROUP BY terms in any order), an index holding every column it
// reads, so the database streams the index once, never reading the table
// or sorting a million items. The outer one keeps the projects and tickets
// the export keeps (billedWorkScope), names them, and adds the few thousand
// day totals up by the requested keys. The groups are sorted in Go, so that both
// databases order names alike whatever their collation.
func (s *Store) BilledHoursSummary(ctx context.Context, q store.BilledHoursQuery, by []string, each func(api.BilledHoursTotal) error) error {
	keys := s.summaryKeys()
	var group []string
	joins := ""
	for _, k := range by {
		sk, ok := keys[k]
		if !ok {
			return fmt.Errorf("billed hours summary: no key %q", k)
		}
		group = append(group, sk.cols...)
		joins += sk.join
	}
	var items, work where
	billedItemsWhere(&items, q, "b.contract_id")
	billedWorkScope(&work, q, "g.project_id")
	const days = "b.contract_id, b.worked_date, b.project_id, b.ticket_id, b.resource_id"
	// SUM of bigint is numeric in PostgreSQL: cast back to integer hundredths.
	query := `SELECT ` + strings.Join(append(slices.Clone(group), `CAST(SUM(g.n) AS BIGINT)`, `CAST(SUM(g.worked) AS BIGINT)`,
		`CAST(SUM(g.billed) AS BIGINT)`, `CAST(SUM(g.amount) AS BIGINT)`), ", ") + `
		FROM (SELECT ` + days + `, COUNT(*) AS n, SUM(b.hours_worked) AS worked, SUM(b.hours_billed) AS billed,
			SUM(` + summaryAmount + `) AS amount
			FROM billing_items b` + items.sql() + ` GROUP BY ` + days + `) g
		LEFT JOIN projects p ON p.id = g.project_id LEFT JOIN tickets t ON t.id = g.ticket_id` + joins + work.sql()
	if len(group) > 0 {
		query += ` GROUP BY ` + strings.Join(group, ", ")
	}
	groups, err := list(ctx, s.r, query, append(items.args, work.args...), func(r Row) (api.BilledHoursTotal, error) {
		return scanTotal(r, by)
	})
	if err != nil {
		return err
	}
	store.SortBilledTotals(by, groups)
	for _, t := range groups {
		if len(by) == 0 && t.Items == 0 {
			continue // no rows: no group, as for any other key
		}
		if err := each(t); err != nil {
			return err
		}
	}
	return nil
}

// scanTotal reads one group: the columns of its keys, then the totals.
func scanTotal(r Row, by []string) (api.BilledHoursTotal, error) {
	var t api.BilledHoursTotal
	var dest []any
	var clientID, projectID sql.NullInt64
	var clientName, number, name, month, resource sql.NullString
	for _, k := range by {
		switch k {
		case "client":
			dest = append(dest, &clientID, &clientName)
		case "project":
			dest = append(dest, &projectID, &number, &name)
		case "month":
			dest = append(dest, &month)
		case "resource":
			dest = append(dest, &resource)
		}
	}
	var n, worked, billed, amount sql.NullInt64 // a sum of no rows is NULL
	if err := r.Scan(append(dest, &n, &worked, &billed, &amount)...); err != nil {
		return t, err
	}
	t.Items = n.Int64
	t.ClientID, t.ClientName = nInt(clientID), nStr(clientName)
	t.ProjectID, t.ProjectNumber, t.ProjectName = nInt(projectID), nStr(number), nStr(name)
	t.Month, t.Resource = nStr(month), nStr(resource)
	t.HoursWorked, t.HoursBilled, t.Amount = api.Decimal(worked.Int64), api.Decimal(billed.Int64), nDec(amount)
	return t, nil
}
