-- The calendar feed (GET /v1/calendar.ics, docs/calendar.md).
--
-- calendar_feeds: feed tokens, the read-only secrets a calendar app puts in
-- the feed's URL. A table apart from tokens, so that no API token lookup can
-- ever find one: a feed token reads the feed and nothing else.
CREATE TABLE calendar_feeds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id   INTEGER NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX calendar_feeds_contact ON calendar_feeds (contact_id);

-- calendar_versions: the portal data has no modification times, so each
-- feed item's version comes from its content. uid is the item's key
-- ("event-950", "task-100-due"), hash the SHA-256 of what the feed shows of
-- it; a new hash for a uid is a new revision: sequence + 1, modified_at now
-- (Unix seconds).
CREATE TABLE calendar_versions (
    uid         TEXT PRIMARY KEY,
    hash        TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    modified_at BIGINT NOT NULL
);

-- calendar_settings: the domain of the feed's UIDs (event-950@<domain>),
-- random and made once, so that two portals' items never share a UID.
CREATE TABLE calendar_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    uid_domain TEXT NOT NULL
);
INSERT INTO calendar_settings (id, uid_domain) VALUES (1, lower(hex(randomblob(8))) || '.portald');
