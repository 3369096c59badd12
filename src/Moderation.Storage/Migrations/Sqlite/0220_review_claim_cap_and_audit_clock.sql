-- Issue 12, finding 6: the cap on open claims per person, as on PostgreSQL (0220).
CREATE INDEX quarantine_open_claims ON quarantine (claimed_by)
    WHERE status IN ('pending', 'escalated') AND claimed_by IS NOT NULL;

-- The database's own clock beside the application's (PostgreSQL 0220). SQLite cannot set a column in a trigger
-- and allows no expression default on an added column, so the INSERT itself writes strftime('now'). SQLite has no
-- roles (whoever can write the file can do anything): on SQLite this records, it does not guarantee.
ALTER TABLE review_audit_log ADD COLUMN recorded_at TEXT NULL;
