-- End-client work of a billing organization O is found from O's contracts
-- (sqlstore's endClientWork): under each contract, the distinct projects
-- its items bill (a loose scan: one seek per project) and its ticket items
-- (project_id IS NULL, then ticket_id), and the hours billed to O on one
-- project or ticket are read from this index alone (hoursBilledTo).
CREATE INDEX billing_items_contract_work ON billing_items (contract_id, project_id, ticket_id, hours_billed);
