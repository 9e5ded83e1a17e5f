-- The billing feed: internal/store/sqlite/migrations/0010_billing_feed.sql
-- in PostgreSQL types (docs/billed-hours.md). Sequences hand out values in
-- call order but commit in any order; the feed's position is instead
-- taken from the billing_feed row, which a writer locks until it commits,
-- so a reader that sees position N sees every change up to N.
CREATE TABLE billing_feed (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    feed_id  TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO billing_feed (id, feed_id, position)
    VALUES (1, replace(gen_random_uuid()::text, '-', ''), CASE WHEN EXISTS (SELECT 1 FROM billing_items) THEN 1 ELSE 0 END);

ALTER TABLE billing_items ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
UPDATE billing_items SET position = 1;
CREATE INDEX billing_items_position ON billing_items (position, id);

CREATE TABLE billing_item_history (
    item_id        BIGINT NOT NULL,
    project_id     BIGINT NOT NULL,
    task_id        BIGINT,
    resource_id    BIGINT,
    contract_id    BIGINT NOT NULL,
    worked_date    DATE NOT NULL,
    hours_worked   BIGINT NOT NULL,
    hours_billed   BIGINT NOT NULL,
    rate           BIGINT,
    description    TEXT NOT NULL DEFAULT '',
    billed_at      TIMESTAMPTZ,
    billing_org_id BIGINT,
    client_id      BIGINT NOT NULL,
    position       BIGINT NOT NULL,
    superseded_at  BIGINT NOT NULL,
    PRIMARY KEY (item_id, superseded_at)
);
CREATE INDEX billing_item_history_superseded ON billing_item_history (superseded_at, item_id);
