-- One-time sign-in codes sent to a contact's own email address (portalctl
-- auth login --email). Only a hash of the code is kept; a code is used at
-- most once, within its lifetime, and a few wrong guesses void it. Times are
-- INTEGER Unix milliseconds, compared the same way in both dialects.
CREATE TABLE login_codes (
    contact_id INTEGER PRIMARY KEY,
    code_hash  TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
