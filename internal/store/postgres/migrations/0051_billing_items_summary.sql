-- The billed-hours summary (GET /v1/end-client/billed-hours/summary) totals
-- a billing organization's items in one aggregate query: this index holds
-- every column it reads, in the order it filters them (the contracts billed
-- to the organization, then the worked dates), so the totals of a million
-- items are read from the index alone, never from the table's rows.
CREATE INDEX billing_items_summary ON billing_items
    (contract_id, worked_date, project_id, resource_id, hours_worked, hours_billed, rate, amount);
