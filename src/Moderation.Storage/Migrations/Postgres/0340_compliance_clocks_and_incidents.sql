-- Compliance desk (issue 10, items 5-7): report-case clock, takedown follow-up, major incidents.

-- A report case goes open -> reported (who, when, to which authority, their reference) -> closed. Its state is
-- read from which of these are set. escalated_at is the claim of the one overdue escalation: an instance sets it
-- with a conditional UPDATE in the transaction that stages the event in the outbox, so two instances emit one.
ALTER TABLE report_cases ADD COLUMN reported_at timestamptz NULL;
ALTER TABLE report_cases ADD COLUMN reported_by text NULL;
ALTER TABLE report_cases ADD COLUMN authority text NULL;
ALTER TABLE report_cases ADD COLUMN authority_reference text NULL;
ALTER TABLE report_cases ADD COLUMN closed_at timestamptz NULL;
ALTER TABLE report_cases ADD COLUMN closed_by text NULL;
ALTER TABLE report_cases ADD COLUMN escalated_at timestamptz NULL;
CREATE INDEX report_cases_awaiting_escalation ON report_cases (due_at)
    WHERE reported_at IS NULL AND closed_at IS NULL AND escalated_at IS NULL;
CREATE INDEX report_cases_by_due ON report_cases (due_at, case_id);

-- Takedown follow-up: the same one-claim escalation for a takedown the platform never confirmed.
ALTER TABLE takedowns ADD COLUMN escalated_at timestamptz NULL;
CREATE INDEX takedowns_awaiting_completion ON takedowns (requested_at)
    WHERE completed_at IS NULL AND escalated_at IS NULL;

-- Clause 6: a declared major incident, its scope (a RecordQuery), its report clock and its reminders.
CREATE TABLE incidents (
    incident_id          uuid        PRIMARY KEY,
    platform             text        NOT NULL,
    author_id            text        NULL,
    content_id           text        NULL,
    from_at              timestamptz NULL,
    to_at                timestamptz NULL,
    description          text        NOT NULL,
    declared_by          text        NOT NULL,
    declared_at          timestamptz NOT NULL,
    due_at               timestamptz NOT NULL,
    frozen_records       integer     NOT NULL,
    reminded_at          timestamptz NULL,
    overdue_at           timestamptz NULL,
    reported_at          timestamptz NULL,
    reported_by          text        NULL,
    authority            text        NULL,
    authority_reference  text        NULL,
    closed_at            timestamptz NULL,
    closed_by            text        NULL
);
CREATE INDEX incidents_by_declared ON incidents (declared_at DESC);

-- Which records an incident froze, as they were at declaration. No foreign key to post_records: the list is
-- part of the incident's report and must outlive any later release of the hold.
CREATE TABLE incident_records (
    incident_id  uuid   NOT NULL REFERENCES incidents ON DELETE CASCADE,
    platform     text   NOT NULL,
    content_id   text   NOT NULL,
    version      bigint NOT NULL,
    PRIMARY KEY (incident_id, platform, content_id, version)
);
