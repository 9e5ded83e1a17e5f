-- What the synced copy of Autotask needs besides the portal tables it fills
-- (portald serve --store autotask; docs/autotask.md "The synced copy").

-- The amount a billing item is invoiced for when it is not hours_billed ×
-- rate (Autotask's extendedPrice), in hundredths; NULL: hours × rate.
ALTER TABLE billing_items ADD COLUMN amount INTEGER;

-- Billed items that are not labour (Autotask expenses, milestones, project
-- and contract charges, services): their quantity counts units, not hours,
-- so they are never billed hours and are listed apart.
CREATE TABLE charges (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    task_id     INTEGER REFERENCES tasks(id),
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    kind        TEXT NOT NULL, -- expense, milestone, charge, service or other
    item_date   TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL, -- hundredths of a unit
    rate        INTEGER,
    amount      INTEGER,
    billed_at   TEXT
);
CREATE INDEX charges_contract_date ON charges(contract_id, item_date, id);
CREATE INDEX charges_project ON charges(project_id);

-- The sync's state: cursors, progress of the initial sync, the lease and
-- the time of the last complete pass, as key → text.
CREATE TABLE autotask_sync (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Autotask's TaskSecondaryResources: resources on a project's team through
-- one of its tasks (the team rows are built from them).
CREATE TABLE autotask_secondary_resources (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL,
    resource_id INTEGER NOT NULL
);
CREATE INDEX autotask_secondary_resources_task ON autotask_secondary_resources(task_id);

-- portald user link: what an administrator set for a contact's portal
-- access over Autotask's ClientPortalUsers (NULL: Autotask's value).
CREATE TABLE autotask_user_overrides (
    contact_id     INTEGER PRIMARY KEY,
    username       TEXT,
    security_level TEXT,
    portal_enabled INTEGER
);
