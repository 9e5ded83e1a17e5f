-- The identity generation: a number that changes, in the same transaction,
-- with everything a token resolves to (the token, its contact, the
-- organization tree, the security levels), through the triggers below.
-- portald keeps recently used tokens' identities in memory with the
-- generation they were read at, and reads the generation on every request:
-- one small row instead of the joined identity query, while a change made
-- by any process (another portald, portald token revoke, an import) is seen
-- by the very next request of every process. It starts at a random number,
-- so two databases do not share generations. Recording a token's use
-- (last_used_at) does not change it.
CREATE TABLE identity_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO identity_generation (id, n) VALUES (1, abs(random() % 4611686018427387904));

CREATE TRIGGER tokens_identity_update AFTER UPDATE OF contact_id, hash, expires_at, revoked_at ON tokens
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tokens_identity_delete AFTER DELETE ON tokens
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;

-- A new contact has no cached token: only changes and removals count.
CREATE TRIGGER contacts_identity_update AFTER UPDATE ON contacts
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER contacts_identity_delete AFTER DELETE ON contacts
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;

-- A new organization may be below a cached user's; a new security level
-- may define a cached user's level.
CREATE TRIGGER organizations_identity_insert AFTER INSERT ON organizations
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER organizations_identity_update AFTER UPDATE ON organizations
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER organizations_identity_delete AFTER DELETE ON organizations
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER security_levels_identity_insert AFTER INSERT ON security_levels
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER security_levels_identity_update AFTER UPDATE ON security_levels
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER security_levels_identity_delete AFTER DELETE ON security_levels
BEGIN UPDATE identity_generation SET n = n + 1 WHERE id = 1; END;
