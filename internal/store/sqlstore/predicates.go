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

// endClientWork: the project or ticket alias (p, t) is another
// organization's, and its own contract, or the contract of one of its
// billing items (those whose itemCol is alias.id), bills O. Three ?. The
// billing-item test goes from O's contracts (few) to the (itemCol,
// contract_id) index: written as a join from billing_items, PostgreSQL
// scanned the whole table for each project when its statistics put half
// the items on one project (0.4 s over a million items; now 1 ms).
func endClientWork(alias, itemCol string) string {
	return alias + `.organization_id <> ? AND (
		EXISTS (SELECT 1 FROM contracts k WHERE k.id = ` + alias + `.contract_id AND k.billing_organization_id = ?)
		OR EXISTS (SELECT 1 FROM contracts k WHERE k.billing_organization_id = ?
			AND EXISTS (SELECT 1 FROM billing_items b WHERE b.` + itemCol + ` = ` + alias + `.id AND b.contract_id = k.id)))`
}

// hoursBilledTo: the hours billed to O of the work whose billing items'
// itemCol is ref, in hundredths. One ?.
func hoursBilledTo(itemCol, ref string) string {
	// SUM of bigint is numeric in PostgreSQL: cast back to integer hundredths.
	return `CAST((SELECT COALESCE(SUM(b.hours_billed), 0) FROM billing_items b JOIN contracts k ON k.id = b.contract_id
		WHERE b.` + itemCol + ` = ` + ref + ` AND k.billing_organization_id = ?) AS BIGINT)`
}
