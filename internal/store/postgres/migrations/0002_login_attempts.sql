-- Login attempts per rate-limit key ("ip:…", "user:…"), kept in the database
-- so that every portald instance sharing it counts the same attempts. A key's
-- window opens at its first attempt; rows whose window has ended are deleted
-- as new attempts come in. Times are BIGINT Unix milliseconds, so both
-- dialects compare them the same way.
CREATE TABLE login_attempts (
    limit_key    TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts     INTEGER NOT NULL
);

CREATE INDEX login_attempts_window_start ON login_attempts (window_start);
