package sqlstore

// The portal's rules that several queries share, each spelled once here as
// a SQL fragment (docs/architecture.md, "the predicates"); storetest is
// their specification. Every ? in them is the billing organization O.

// contractBilledTo: the contract whose id is col bills O. One ?.
func contractBilledTo(col string) string {
	return col + ` IN (SELECT id FROM contracts WHERE billing_organization_id = ?)`
}

// clientProjectOfAnother: p is a client project of an organization other
// than O. One ?.
const clientProjectOfAnother = `p.type = 'client' AND p.organization_id <> ?`

// endClientWork: the project or ticket alias (p, t) of table (projects,
// tickets) is another organization's, and its own contract, or the
// contract of one of its billing items (those whose itemCol is alias.id),
// bills O. Three ?.
//
// The set is built from O's contracts (few), never by testing each piece of
// work: testing each project cost a request 6 ms of CPU over the 10,000
// projects of one client that O bills nothing. The items' side is a loose
// scan of the (contract_id, project_id, ticket_id, …) index, one seek per
// distinct piece of work billed on each contract (billedWork), so millions
// of billing items on a few projects cost a few seeks, not a read of each.
func endClientWork(alias, table, itemCol string) string {
	return alias + `.organization_id <> ? AND ` + alias + `.id IN (` + billedWork(itemCol) + `
		UNION ALL SELECT x.id FROM ` + table + ` x WHERE ` + contractBilledTo("x.contract_id") + `)`
}

// billedWork: the ids (column id) of the work whose billing items' itemCol
// (project_id or ticket_id) is on a contract that bills O, as a recursive
// query: for each of O's contracts, the smallest id, then the next larger,
// until there is none (a loose index scan, which neither SQLite nor
// PostgreSQL 15 does by itself). A ticket item has no project_id (the
// table's CHECK), which the ticket side says so that the index serves it
// as an equality. One ?.
func billedWork(itemCol string) string {
	first := func(contract string) string {
		q := `(SELECT MIN(b.` + itemCol + `) FROM billing_items b WHERE b.contract_id = ` + contract
		if itemCol == "ticket_id" {
			q += ` AND b.project_id IS NULL`
		}
		return q
	}
	return `WITH RECURSIVE w(k, id) AS (
			SELECT k.id, ` + first("k.id") + `) FROM contracts k WHERE k.billing_organization_id = ?
			UNION ALL
			SELECT w.k, ` + first("w.k") + ` AND b.` + itemCol + ` > w.id) FROM w WHERE w.id IS NOT NULL
		) SELECT id FROM w WHERE id IS NOT NULL`
}

// hoursBilledTo: the hours billed to O of the work whose billing items'
// itemCol is ref, in hundredths. One ?. Read from O's contracts in the
// billing_items_contract_work index alone (a project with a million items
// costs no table read per item); ticket items have no project_id.
func hoursBilledTo(itemCol, ref string) string {
	ticket := ""
	if itemCol == "ticket_id" {
		ticket = ` AND b.project_id IS NULL`
	}
	// SUM of bigint is numeric in PostgreSQL: cast back to integer hundredths.
	return `CAST((SELECT COALESCE(SUM(b.hours_billed), 0) FROM billing_items b
		WHERE ` + contractBilledTo("b.contract_id") + ticket + ` AND b.` + itemCol + ` = ` + ref + `) AS BIGINT)`
}
