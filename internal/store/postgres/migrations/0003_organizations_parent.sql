-- Authentication walks the caller's organization tree (a recursive query
-- over parent_id) on every request; without this index SQLite builds a
-- temporary one each time and PostgreSQL scans the table.
CREATE INDEX organizations_parent ON organizations (parent_id);
