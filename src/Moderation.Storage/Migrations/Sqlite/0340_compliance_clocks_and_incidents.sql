-- Compliance desk on the embedded default: the same columns and tables as PostgreSQL's 0340, in SQLite types
-- (timestamps ISO-8601 UTC text, ids text).
ALTER TABLE report_cases ADD COLUMN reported_at TEXT NULL;
ALTER TABLE report_cases ADD COLUMN reported_by TEXT NULL;
ALTER TABLE report_cases ADD COLUMN authority TEXT NULL;
ALTER TABLE report_cases ADD COLUMN authority_reference TEXT NULL;
ALTER TABLE report_cases ADD COLUMN closed_at TEXT NULL;
ALTER TABLE report_cases ADD COLUMN closed_by TEXT NULL;
ALTER TABLE report_cases ADD COLUMN escalated_at TEXT NULL;
CREATE INDEX report_cases_by_due ON report_cases (due_at, case_id);

ALTER TABLE takedowns ADD COLUMN escalated_at TEXT NULL;
CREATE INDEX takedowns_by_requested ON takedowns (requested_at);

CREATE TABLE incidents (
    incident_id          TEXT    PRIMARY KEY,
    platform             TEXT    NOT NULL,
    author_id            TEXT    NULL,
    content_id           TEXT    NULL,
    from_at              TEXT    NULL,
    to_at                TEXT    NULL,
    description          TEXT    NOT NULL,
    declared_by          TEXT    NOT NULL,
    declared_at          TEXT    NOT NULL,
    due_at               TEXT    NOT NULL,
    frozen_records       INTEGER NOT NULL,
    reminded_at          TEXT    NULL,
    overdue_at           TEXT    NULL,
    reported_at          TEXT    NULL,
    reported_by          TEXT    NULL,
    authority            TEXT    NULL,
    authority_reference  TEXT    NULL,
    closed_at            TEXT    NULL,
    closed_by            TEXT    NULL
);
CREATE INDEX incidents_by_declared ON incidents (declared_at);

CREATE TABLE incident_records (
    incident_id  TEXT    NOT NULL REFERENCES incidents ON DELETE CASCADE,
    platform     TEXT    NOT NULL,
    content_id   TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    PRIMARY KEY (incident_id, platform, content_id, version)
);
