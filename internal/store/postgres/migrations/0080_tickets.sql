-- End-client tickets (docs/portal-rules.md "End Client Tickets"): service
-- tickets of an organization, their notes, and billing items that bill a
-- ticket instead of a project.

CREATE TABLE tickets (
    id                   BIGINT PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    priority             TEXT,
    organization_id      BIGINT NOT NULL REFERENCES organizations(id) DEFERRABLE,
    contract_id          BIGINT REFERENCES contracts(id) DEFERRABLE,
    assigned_resource_id BIGINT REFERENCES resources(id) DEFERRABLE,
    queue                TEXT NOT NULL DEFAULT '',
    category             TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL,
    due_at               TIMESTAMPTZ,
    completed_at         TIMESTAMPTZ
);
CREATE INDEX tickets_organization ON tickets (organization_id, id);
CREATE INDEX tickets_contract ON tickets (contract_id);

CREATE TABLE ticket_notes (
    id                 BIGINT PRIMARY KEY,
    ticket_id          BIGINT NOT NULL REFERENCES tickets(id) DEFERRABLE,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    author_resource_id BIGINT REFERENCES resources(id) DEFERRABLE,
    author_contact_id  BIGINT REFERENCES contacts(id) DEFERRABLE,
    created_at         TIMESTAMPTZ NOT NULL,
    published          BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id, id);

-- A billing item bills a project or a ticket (exactly one).
ALTER TABLE billing_items ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE billing_items ADD COLUMN ticket_id BIGINT REFERENCES tickets(id) DEFERRABLE;
ALTER TABLE billing_items ADD CONSTRAINT billing_items_project_or_ticket
    CHECK ((project_id IS NULL) <> (ticket_id IS NULL));
-- The end-client ticket test and the billed hours of a ticket go from a
-- ticket to its items billed on a contract, as for projects.
CREATE INDEX billing_items_ticket ON billing_items (ticket_id, contract_id);

-- Before-images of ticket items: project_id NULL, ticket_id set.
ALTER TABLE billing_item_history ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE billing_item_history ADD COLUMN ticket_id BIGINT;
