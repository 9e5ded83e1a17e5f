-- Attachment bytes move into chunks of 256 KiB (262,144 bytes; sqlstore's
-- attachmentChunk). A download then reads one chunk at a time, each in its
-- own short query: a large attachment is never held whole in portald's
-- memory, and a slow download never holds a connection. A substr() of one
-- BLOB cannot do this: SQLite reads the whole value to return any part of
-- it, and modernc's driver offers no incremental blob I/O.
CREATE TABLE attachment_chunks (
    attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);

INSERT INTO attachment_chunks (attachment_id, seq, data)
WITH RECURSIVE c(id, seq) AS (
    SELECT id, 0 FROM attachments WHERE length(content) > 0
    UNION ALL
    SELECT c.id, c.seq + 1 FROM c JOIN attachments a ON a.id = c.id WHERE (c.seq + 1) * 262144 < length(a.content)
)
SELECT c.id, c.seq, substr(a.content, c.seq * 262144 + 1, 262144) FROM c JOIN attachments a ON a.id = c.id;

ALTER TABLE attachments DROP COLUMN content;
