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
// projects of one client that O bills nothing. The items' side reads an
// index under O's contracts that leads (contract_id, project_id, ticket_id)
// (billedWork): billing_items_summary on SQLite, billing_items_contract_work
// on PostgreSQL (SQLite's migration 0130 says why they differ).
func endClientWork(alias, table, itemCol string) string {
	return alias + `.organization_id <> ? AND ` + alias + `.id IN (` + billedWork(itemCol) + `
		UNION ALL SELECT x.id FROM ` + table + ` x WHERE ` + contractBilledTo("x.contract_id") + `)`
}

// billedWork: the ids (column id) of the work whose billing items' itemCol
// (project_id or ticket_id) is on a contract that bills O. One ?.
//
// A ticket has a few items: they are read from the index as they come (a
// ticket item has no project_id, the table's CHECK). A project can have a
// million: its ids are found by a loose index scan, a recursive query that
// takes, for each of O's contracts, the smallest project id, then the next
// larger, until there is none — one seek per project, which neither SQLite
// nor PostgreSQL 15 does by itself. Each step is an ORDER BY … LIMIT 1 on
// the index's order rather than a MIN, which PostgreSQL computed as an
// aggregate over every later item of the contract.
func billedWork(itemCol string) string {
	if itemCol == "ticket_id" {
		return `SELECT b.ticket_id FROM billing_items b WHERE ` + contractBilledTo("b.contract_id") + ` AND b.project_id IS NULL`
	}
	next := func(contract, cond string) string {
		return `(SELECT b.project_id FROM billing_items b WHERE b.contract_id = ` + contract + ` AND b.project_id ` + cond +
			` ORDER BY b.project_id LIMIT 1)`
	}
	return `WITH RECURSIVE w(k, id) AS (
			SELECT k.id, ` + next("k.id", "IS NOT NULL") + ` FROM contracts k WHERE k.billing_organization_id = ?
			UNION ALL
			SELECT w.k, ` + next("w.k", "> w.id") + ` FROM w WHERE w.id IS NOT NULL
		) SELECT id FROM w WHERE id IS NOT NULL`
}

// hoursBilledTo: the hours billed to O of the work whose billing items'
// itemCol is ref, in hundredths. One ?. Read from O's contracts in the
// (contract_id, project_id, ticket_id, …, hours_billed) index alone (a
// project with a million items costs no table read per item); ticket items
// have no project_id.
func hoursBilledTo(itemCol, ref string) string {
	ticket := ""
	if itemCol == "ticket_id" {
		ticket = ` AND b.project_id IS NULL`
	}
	// SUM of bigint is numeric in PostgreSQL: cast back to integer hundredths.
	return `CAST((SELECT COALESCE(SUM(b.hours_billed), 0) FROM billing_items b
		WHERE ` + contractBilledTo("b.contract_id") + ticket + ` AND b.` + itemCol + ` = ` + ref + `) AS BIGINT)`
}
