-- The billed-hours summary groups billing items by the work they bill, a
-- project or (since 0080) a ticket: its covering index gains ticket_id so
-- the totals are still read from the index alone. (SQLite's 0080 rebuilt
-- billing_items, which dropped the index 0051 made.)
DROP INDEX IF EXISTS billing_items_summary;
CREATE INDEX billing_items_summary ON billing_items
    (contract_id, worked_date, project_id, ticket_id, resource_id, hours_worked, hours_billed, rate, amount);
