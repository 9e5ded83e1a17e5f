-- Each contact's email allowance (team emails and notifications), kept in
-- the database so that every portald instance sharing it counts the same
-- emails. A token bucket stored as its theoretical arrival time (GCRA):
-- tat is when the bucket is full again, in Unix milliseconds; a row whose
-- tat has passed says nothing and is deleted as new emails come in.
CREATE TABLE email_allowance (
    contact_id BIGINT PRIMARY KEY,
    tat        BIGINT NOT NULL,
    refused    INTEGER NOT NULL DEFAULT 0 -- the last take was refused
);

CREATE INDEX email_allowance_tat ON email_allowance (tat);
