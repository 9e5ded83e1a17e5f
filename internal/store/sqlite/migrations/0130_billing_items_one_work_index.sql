-- One index instead of two for the billing organization's reads, because
-- an import builds every index of billing_items and these two were half of
-- that work (issue 22: the import fell 14 % below the round before them).
-- billing_items_summary now leads with the work an item bills, the order
-- billing_items_contract_work had, and still holds every column the
-- summary reads:
-- * endClientWork's loose scan (the projects under a contract), its ticket
--   items (project_id IS NULL) and hoursBilledTo (one project or ticket
--   under O's contracts) seek it as they sought billing_items_contract_work.
-- * The summary's inner GROUP BY takes its columns in the index's order
--   (SQLite matches GROUP BY terms in any order), so it still streams the
--   index without sorting. A summary of a date range now reads all of O's
--   index entries rather than the range's: one month of a million items
--   took 11 ms and takes 106 ms (BenchmarkBilledSummary/one_month_of_them),
--   the whole million is unchanged (~300 ms), both well under the 1 s
--   target. An import of a million items builds 0.8 s less index in the
--   sqlite3 shell (4.1 → 3.3 s); portald's import took 9.8 s and takes 8.7 s
--   (e3d4aa2, which had neither index, 8.1 s; six alternated runs each).
-- PostgreSQL keeps both indexes: its planner does not reorder GROUP BY keys
-- to fit an index before version 17.
DROP INDEX billing_items_summary;
DROP INDEX billing_items_contract_work;
CREATE INDEX billing_items_summary ON billing_items
    (contract_id, project_id, ticket_id, worked_date, resource_id, hours_worked, hours_billed, rate, amount);
