-- Issue 12, finding 6: a cap on open claims per person counts the claimant's live claims at every claim.
CREATE INDEX quarantine_open_claims ON quarantine (claimed_by)
    WHERE status IN ('pending', 'escalated') AND claimed_by IS NOT NULL;

-- Issue 12, finding 7: occurred_at is the application's clock, and whoever may INSERT may backdate it. recorded_at
-- is the database's own clock, set by a trigger whatever the INSERT says, so a backdated row shows as one.
-- (Rows from before this migration have none.)
ALTER TABLE review_audit_log ADD COLUMN recorded_at timestamptz NULL;
CREATE FUNCTION review_audit_log_recorded_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.recorded_at := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER review_audit_log_set_recorded_at BEFORE INSERT ON review_audit_log
    FOR EACH ROW EXECUTE FUNCTION review_audit_log_recorded_at();
