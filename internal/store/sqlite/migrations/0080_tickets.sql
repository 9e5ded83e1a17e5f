-- End-client tickets (docs/portal-rules.md "End Client Tickets"): service
-- tickets of an organization, their notes, and billing items that bill a
-- ticket instead of a project.

CREATE TABLE tickets (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    priority             TEXT,
    organization_id      INTEGER NOT NULL REFERENCES organizations(id),
    contract_id          INTEGER REFERENCES contracts(id),
    assigned_resource_id INTEGER REFERENCES resources(id),
    queue                TEXT NOT NULL DEFAULT '',
    category             TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    due_at               TEXT,
    completed_at         TEXT
);
CREATE INDEX tickets_organization ON tickets(organization_id, id);
CREATE INDEX tickets_contract ON tickets(contract_id);

CREATE TABLE ticket_notes (
    id                 INTEGER PRIMARY KEY,
    ticket_id          INTEGER NOT NULL REFERENCES tickets(id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    author_resource_id INTEGER REFERENCES resources(id),
    author_contact_id  INTEGER REFERENCES contacts(id),
    created_at         TEXT NOT NULL,
    published          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ticket_notes_ticket ON ticket_notes(ticket_id, id);

-- A billing item bills a project or a ticket (exactly one): SQLite cannot
-- drop NOT NULL from project_id, so the table is rebuilt.
CREATE TABLE billing_items_new (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER REFERENCES projects(id),
    task_id      INTEGER REFERENCES tasks(id),
    resource_id  INTEGER REFERENCES resources(id),
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    worked_date  TEXT NOT NULL,
    hours_worked INTEGER NOT NULL,
    hours_billed INTEGER NOT NULL,
    rate         INTEGER,
    description  TEXT NOT NULL DEFAULT '',
    billed_at    TEXT,
    position     INTEGER NOT NULL DEFAULT 0,
    amount       INTEGER,
    ticket_id    INTEGER REFERENCES tickets(id),
    CHECK ((project_id IS NULL) <> (ticket_id IS NULL))
);
INSERT INTO billing_items_new (id, project_id, task_id, resource_id, contract_id, worked_date, hours_worked,
    hours_billed, rate, description, billed_at, position, amount)
    SELECT id, project_id, task_id, resource_id, contract_id, worked_date, hours_worked,
    hours_billed, rate, description, billed_at, position, amount FROM billing_items;
DROP TABLE billing_items;
ALTER TABLE billing_items_new RENAME TO billing_items;
CREATE INDEX billing_items_contract_date ON billing_items(contract_id, worked_date, id);
CREATE INDEX billing_items_project ON billing_items(project_id, contract_id);
CREATE INDEX billing_items_date ON billing_items(worked_date, id);
CREATE INDEX billing_items_task ON billing_items(task_id);
CREATE INDEX billing_items_position ON billing_items(position, id);
-- The end-client ticket test and the billed hours of a ticket go from a
-- ticket to its items billed on a contract, as for projects.
CREATE INDEX billing_items_ticket ON billing_items(ticket_id, contract_id);

-- Before-images of ticket items: project_id NULL, ticket_id set.
CREATE TABLE billing_item_history_new (
    item_id        INTEGER NOT NULL,
    project_id     INTEGER,
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
    amount         INTEGER,
    ticket_id      INTEGER,
    PRIMARY KEY (item_id, superseded_at)
);
INSERT INTO billing_item_history_new (item_id, project_id, task_id, resource_id, contract_id, worked_date,
    hours_worked, hours_billed, rate, description, billed_at, billing_org_id, client_id, position, superseded_at, amount)
    SELECT item_id, project_id, task_id, resource_id, contract_id, worked_date,
    hours_worked, hours_billed, rate, description, billed_at, billing_org_id, client_id, position, superseded_at, amount
    FROM billing_item_history;
DROP TABLE billing_item_history;
ALTER TABLE billing_item_history_new RENAME TO billing_item_history;
CREATE INDEX billing_item_history_superseded ON billing_item_history (superseded_at, item_id);
