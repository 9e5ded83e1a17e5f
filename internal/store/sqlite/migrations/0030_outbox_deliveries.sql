-- Per-recipient delivery of outbox emails, and who sent each one.
-- deliveries is a JSON array of {address, status, attempts, reply_code,
-- reply, sent_at}, one per recipient in the order of recipients; '' on
-- rows written before it, which are read as one state for every
-- recipient (the row's). sender_contact_id lets the sender, and only the
-- sender, ask how a team email went (GET /v1/emails/{id}).
ALTER TABLE outbox ADD COLUMN sender_contact_id INTEGER;
ALTER TABLE outbox ADD COLUMN deliveries TEXT NOT NULL DEFAULT '';
