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
    n  BIGINT NOT NULL
);
INSERT INTO identity_generation (id, n) VALUES (1, floor(random() * 4611686018427387904)::bigint);

-- Statement triggers, BEFORE the statement: a transaction takes the
-- generation's row lock before the lock of any row the change touches, so
-- two transactions changing identities always lock in the same order and
-- cannot deadlock over it.
CREATE FUNCTION bump_identity_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE identity_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER tokens_identity BEFORE UPDATE OF contact_id, hash, expires_at, revoked_at OR DELETE OR TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_generation();
-- A new contact has no cached token: only changes and removals count.
-- (INSERT … ON CONFLICT DO UPDATE fires the UPDATE trigger too.)
CREATE TRIGGER contacts_identity BEFORE UPDATE OR DELETE OR TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_generation();
-- A new organization may be below a cached user's; a new security level
-- may define a cached user's level.
CREATE TRIGGER organizations_identity BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_generation();
CREATE TRIGGER security_levels_identity BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON security_levels
    FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_generation();
