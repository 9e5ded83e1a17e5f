-- End-client work of a billing organization O is found from O's contracts
-- (sqlstore's endClientWork): for each contract, the distinct projects and
-- tickets its billing items bill, one seek each (a loose index scan), and
-- the hours billed to O on one of them, read from the index alone
-- (hoursBilledTo). Ticket items have project_id NULL, so ticket_id after
-- it still serves the tickets as an equality on project_id IS NULL.
CREATE INDEX billing_items_contract_work ON billing_items (contract_id, project_id, ticket_id, hours_billed);
