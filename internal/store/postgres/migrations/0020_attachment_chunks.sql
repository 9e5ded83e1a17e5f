-- Attachment bytes move into chunks of 256 KiB (262,144 bytes; sqlstore's
-- attachmentChunk). A download then reads one chunk at a time, each in its
-- own short query: a large attachment is never held whole in portald's
-- memory, and a slow download never holds a connection.
CREATE TABLE attachment_chunks (
    attachment_id BIGINT NOT NULL REFERENCES attachments(id) ON DELETE CASCADE DEFERRABLE,
    seq           INTEGER NOT NULL,
    data          BYTEA NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);

INSERT INTO attachment_chunks (attachment_id, seq, data)
SELECT a.id, s.seq, substring(a.content FROM s.seq * 262144 + 1 FOR 262144)
FROM attachments a CROSS JOIN LATERAL generate_series(0, (length(a.content) - 1) / 262144) AS s(seq)
WHERE length(a.content) > 0;

ALTER TABLE attachments DROP COLUMN content;
