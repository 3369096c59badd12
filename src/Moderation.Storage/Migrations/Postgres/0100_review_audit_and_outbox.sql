-- Moderator review (issue 4): append-only audit log, escalation fields, and the review outbox.

-- Who did or saw what, when, from where. Append-only: a trigger rejects UPDATE, DELETE and TRUNCATE,
-- so the application (or anyone with its credentials) cannot rewrite history. No foreign key to
-- decisions on purpose: the retention purge deletes decisions, and the trail must outlive them.
CREATE TABLE review_audit_log (
    audit_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    actor        text        NOT NULL,
    actor_roles  text[]      NOT NULL,
    auth_method  text        NOT NULL,
    action       text        NOT NULL,
    decision_id  uuid        NULL,
    client_ip    inet        NULL,
    user_agent   text        NULL,
    details      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX review_audit_log_decision ON review_audit_log (decision_id, audit_id) WHERE decision_id IS NOT NULL;
CREATE INDEX review_audit_log_actor ON review_audit_log (actor, audit_id);

CREATE FUNCTION review_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_audit_log is append-only (% rejected)', TG_OP;
END
$$;
CREATE TRIGGER review_audit_log_no_update_delete BEFORE UPDATE OR DELETE ON review_audit_log
    FOR EACH ROW EXECUTE FUNCTION review_audit_log_is_append_only();
CREATE TRIGGER review_audit_log_no_truncate BEFORE TRUNCATE ON review_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION review_audit_log_is_append_only();

-- Escalation to the supervisors' queue keeps who sent it there and why; the final decision fields
-- (decided_by/decided_at/decision_reason) stay for confirm and release.
ALTER TABLE quarantine ADD COLUMN escalated_by text NULL;
ALTER TABLE quarantine ADD COLUMN escalated_at timestamptz NULL;
ALTER TABLE quarantine ADD COLUMN escalation_reason text NULL;

-- Keyset paging by severity: one ascending key so a row comparison can walk the index.
CREATE INDEX quarantine_open_severity_keyset
    ON quarantine (status, (-max_severity), (-top_score), created_at, decision_id)
    WHERE status IN ('pending', 'escalated');
CREATE INDEX quarantine_open_age_keyset
    ON quarantine (status, created_at, decision_id)
    WHERE status IN ('pending', 'escalated');
-- Training-data export walks decided items by decision time.
CREATE INDEX quarantine_decided ON quarantine (decided_at) WHERE status IN ('confirmed', 'released');

-- Events of a moderator's decision are written here in the same transaction as the decision, then
-- published; a sweeper re-publishes anything a crash left behind (message ids are deterministic,
-- so a duplicate is recognisable downstream).
CREATE TABLE review_outbox (
    message_id    uuid        PRIMARY KEY,
    message_type  text        NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz NULL,
    attempts      integer     NOT NULL DEFAULT 0
);
CREATE INDEX review_outbox_unpublished ON review_outbox (created_at) WHERE published_at IS NULL;
