-- Portal data (the import format of design/data-format.md) plus portald's own
-- state (tokens, idempotency keys, outbox).
-- Conventions: timestamps are TEXT in RFC 3339 UTC with a Z suffix and no
-- fractional seconds beyond what was given ("2026-01-05T15:00:00Z"), so they
-- sort as text; dates are TEXT 'YYYY-MM-DD'; hours, rates and percentages are
-- INTEGER hundredths (exact); booleans are INTEGER 0/1.

CREATE TABLE portal_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name              TEXT NOT NULL DEFAULT '',
    organization_term TEXT NOT NULL DEFAULT 'Organization',
    support_email     TEXT NOT NULL DEFAULT '',
    provider_name     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE organizations (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    parent_id        INTEGER REFERENCES organizations(id),
    time_zone        TEXT NOT NULL DEFAULT 'America/New_York',
    notify_resources INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE security_levels (
    name        TEXT PRIMARY KEY,
    permissions TEXT NOT NULL -- comma-separated permission names
);

CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    username        TEXT,
    security_level  TEXT NOT NULL DEFAULT 'basic',
    portal_enabled  INTEGER NOT NULL DEFAULT 1,
    active          INTEGER NOT NULL DEFAULT 1,
    password_hash   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX contacts_username ON contacts(username COLLATE NOCASE) WHERE username IS NOT NULL;

CREATE TABLE resources (
    id         INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE contracts (
    id                      INTEGER PRIMARY KEY,
    organization_id         INTEGER NOT NULL REFERENCES organizations(id),
    name                    TEXT NOT NULL,
    billing_organization_id INTEGER REFERENCES organizations(id)
);
CREATE INDEX contracts_billing_org ON contracts(billing_organization_id);

CREATE TABLE projects (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    organization_id  INTEGER NOT NULL REFERENCES organizations(id),
    type             TEXT NOT NULL DEFAULT 'client',
    status           TEXT NOT NULL,
    contract_id      INTEGER REFERENCES contracts(id),
    lead_resource_id INTEGER REFERENCES resources(id),
    description      TEXT NOT NULL DEFAULT '',
    start_date       TEXT,
    end_date         TEXT,
    completed_at     TEXT,
    estimated_hours  INTEGER,
    percent_complete INTEGER
);
CREATE INDEX projects_org ON projects(organization_id, id);
CREATE INDEX projects_contract ON projects(contract_id);

CREATE TABLE phases (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects(id),
    parent_phase_id INTEGER REFERENCES phases(id),
    title           TEXT NOT NULL,
    position        INTEGER NOT NULL,
    start_date      TEXT,
    due_date        TEXT
);
CREATE INDEX phases_project ON phases(project_id);

CREATE TABLE tasks (
    id                   INTEGER PRIMARY KEY,
    project_id           INTEGER NOT NULL REFERENCES projects(id),
    phase_id             INTEGER REFERENCES phases(id),
    number               TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    is_issue             INTEGER NOT NULL DEFAULT 0,
    visible_in_portal    INTEGER NOT NULL DEFAULT 1,
    client_completable   INTEGER NOT NULL DEFAULT 0,
    contact_id           INTEGER REFERENCES contacts(id),
    assigned_resource_id INTEGER REFERENCES resources(id),
    priority             TEXT,
    position             INTEGER NOT NULL,
    start_date           TEXT,
    due_date             TEXT,
    completed_at         TEXT,
    completed_by_contact_id INTEGER REFERENCES contacts(id),
    estimated_hours      INTEGER,
    contract_id          INTEGER REFERENCES contracts(id),
    created_at           TEXT
);
CREATE INDEX tasks_project ON tasks(project_id, position, id);
CREATE INDEX tasks_contact ON tasks(contact_id);
CREATE INDEX tasks_status ON tasks(status);

CREATE TABLE team (
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    resource_id INTEGER REFERENCES resources(id),
    contact_id  INTEGER REFERENCES contacts(id),
    role        TEXT NOT NULL DEFAULT '',
    CHECK ((resource_id IS NULL) <> (contact_id IS NULL))
);
CREATE UNIQUE INDEX team_resource ON team(project_id, resource_id) WHERE resource_id IS NOT NULL;
CREATE UNIQUE INDEX team_contact ON team(project_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX team_by_contact ON team(contact_id, project_id);

CREATE TABLE project_notes (
    id                 INTEGER PRIMARY KEY,
    project_id         INTEGER NOT NULL REFERENCES projects(id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    author_resource_id INTEGER REFERENCES resources(id),
    author_contact_id  INTEGER REFERENCES contacts(id),
    created_at         TEXT NOT NULL,
    published          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX project_notes_project ON project_notes(project_id, id);

CREATE TABLE task_notes (
    id                 INTEGER PRIMARY KEY,
    task_id            INTEGER NOT NULL REFERENCES tasks(id),
    subject            TEXT NOT NULL,
    body               TEXT NOT NULL,
    author_resource_id INTEGER REFERENCES resources(id),
    author_contact_id  INTEGER REFERENCES contacts(id),
    created_at         TEXT NOT NULL,
    published          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX task_notes_task ON task_notes(task_id, id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    task_id      INTEGER REFERENCES tasks(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    content      BLOB NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX attachments_project ON attachments(project_id, id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    title       TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    all_day     INTEGER NOT NULL DEFAULT 0,
    location    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_project ON events(project_id, starts_at);

CREATE TABLE billing_items (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    task_id      INTEGER REFERENCES tasks(id),
    resource_id  INTEGER REFERENCES resources(id),
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    worked_date  TEXT NOT NULL,
    hours_worked INTEGER NOT NULL,
    hours_billed INTEGER NOT NULL,
    rate         INTEGER,
    description  TEXT NOT NULL DEFAULT '',
    billed_at    TEXT
);
CREATE INDEX billing_items_contract_date ON billing_items(contract_id, worked_date, id);
CREATE INDEX billing_items_project ON billing_items(project_id, contract_id);
CREATE INDEX billing_items_date ON billing_items(worked_date, id);
CREATE INDEX billing_items_task ON billing_items(task_id);

-- portald's own state.

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id),
    name         TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX tokens_contact ON tokens(contact_id);

CREATE TABLE idempotency_keys (
    contact_id   INTEGER NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    task_id      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (contact_id, key)
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    recipients      TEXT NOT NULL, -- JSON array of addresses
    reply_to        TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
