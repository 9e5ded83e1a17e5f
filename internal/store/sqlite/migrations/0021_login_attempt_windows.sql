-- Login keys have windows of different lengths (a username's 15 minutes,
-- an IP's one minute: httpapi's loginLimits), so each row keeps when its
-- own window ends, and pruning ended windows no longer assumes one length.
ALTER TABLE login_attempts ADD COLUMN window_end INTEGER NOT NULL DEFAULT 0;
UPDATE login_attempts SET window_end = window_start + 60000;
DROP INDEX login_attempts_window_start;
CREATE INDEX login_attempts_window_end ON login_attempts (window_end);
