-- The billing feed (docs/billed-hours.md): every change to what a billing
-- item shows in the billed-hours export gets a position that only grows in
-- commit order, written in the transaction of the change, so an export can
-- ask for "the changes after position P" instead of "ids above N".
--
-- billing_feed holds the feed's identity (random, made with the database:
-- a position means nothing against another database) and the last position
-- handed out. Writers lock this row for their whole transaction, so
-- positions commit in order (SQLite's single writer does that anyway).
CREATE TABLE billing_feed (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    feed_id  TEXT NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO billing_feed (id, feed_id, position)
    VALUES (1, lower(hex(randomblob(16))), CASE WHEN EXISTS (SELECT 1 FROM billing_items) THEN 1 ELSE 0 END);

-- The position of each item's current version; items already here share
-- position 1.
ALTER TABLE billing_items ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE billing_items SET position = 1;
CREATE INDEX billing_items_position ON billing_items (position, id);

-- Superseded and removed versions (before-images), with the scope they had:
-- billing_org_id is the organization the version was billed to as an
-- export row (NULL when its project was not a client project or its
-- contract billed nobody), client_id its project's organization. A version
-- was current from position up to superseded_at. Only changed items have
-- rows here: an import of new items writes none.
CREATE TABLE billing_item_history (
    item_id        INTEGER NOT NULL,
    project_id     INTEGER NOT NULL,
    task_id        INTEGER,
    resource_id    INTEGER,
    contract_id    INTEGER NOT NULL,
    worked_date    TEXT NOT NULL,
    hours_worked   INTEGER NOT NULL,
    hours_billed   INTEGER NOT NULL,
    rate           INTEGER,
    description    TEXT NOT NULL DEFAULT '',
    billed_at      TEXT,
    billing_org_id INTEGER,
    client_id      INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    superseded_at  INTEGER NOT NULL,
    PRIMARY KEY (item_id, superseded_at)
);
CREATE INDEX billing_item_history_superseded ON billing_item_history (superseded_at, item_id);
