-- Two billing_items indexes an import rebuilt for nothing:
-- * billing_items_ticket held an entry for every item, though most bill a
--   project (ticket_id NULL) and no query looks those up. Every query on it
--   asks for ticket_id = …, which implies the new condition, so the
--   planners still use it.
-- * billing_items_contract_date (contract_id, worked_date, id) is a prefix
--   of billing_items_summary (contract_id, worked_date, …), which serves
--   the same lookups by contract and dates; the export walks
--   billing_items_date instead.
DROP INDEX billing_items_ticket;
CREATE INDEX billing_items_ticket ON billing_items (ticket_id, contract_id) WHERE ticket_id IS NOT NULL;
DROP INDEX billing_items_contract_date;
