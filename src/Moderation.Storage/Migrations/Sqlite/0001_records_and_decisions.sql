-- Embedded default: the same shape as the PostgreSQL schema, in SQLite types.
-- Timestamps are ISO-8601 UTC text; arrays and evidence are JSON text.

CREATE TABLE post_records (
    platform        TEXT    NOT NULL,
    content_id      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    service_type    TEXT    NOT NULL,
    author_id       TEXT    NOT NULL,
    title           TEXT    NULL,
    body            TEXT    NOT NULL,
    urls            TEXT    NOT NULL DEFAULT '[]',
    published_at    TEXT    NOT NULL,
    edited_at       TEXT    NULL,
    source_ip       TEXT    NOT NULL,
    source_port     INTEGER NULL,
    received_at     TEXT    NOT NULL,
    content_sha256  TEXT    NOT NULL,
    retain_until    TEXT    NOT NULL,
    legal_hold      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, content_id, version)
);
CREATE INDEX post_records_retain_until ON post_records (retain_until);

CREATE TABLE decisions (
    decision_id         TEXT    PRIMARY KEY,
    platform            TEXT    NOT NULL,
    content_id          TEXT    NOT NULL,
    version             INTEGER NOT NULL,
    action              TEXT    NOT NULL CHECK (action IN ('pass', 'quarantine', 'block')),
    categories          TEXT    NOT NULL,
    scores              TEXT    NOT NULL,
    hits                TEXT    NOT NULL,
    reasons             TEXT    NOT NULL,
    lexicon_version     TEXT    NOT NULL,
    model_version       TEXT    NOT NULL,
    policy_version      TEXT    NOT NULL,
    decided_at          TEXT    NOT NULL,
    evidence_json       TEXT    NOT NULL,
    evidence_sha256     TEXT    NOT NULL,
    events_published_at TEXT    NULL,
    UNIQUE (platform, content_id, version),
    FOREIGN KEY (platform, content_id, version) REFERENCES post_records ON DELETE CASCADE
);

CREATE TABLE quarantine (
    decision_id      TEXT    PRIMARY KEY REFERENCES decisions ON DELETE CASCADE,
    platform         TEXT    NOT NULL,
    content_id       TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    service_type     TEXT    NOT NULL,
    categories       TEXT    NOT NULL,
    sub_labels       TEXT    NOT NULL DEFAULT '[]',
    max_severity     INTEGER NOT NULL,
    top_score        REAL    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'escalated', 'confirmed', 'released')),
    claimed_by       TEXT    NULL,
    claim_expires_at TEXT    NULL,
    created_at       TEXT    NOT NULL,
    decided_by       TEXT    NULL,
    decided_at       TEXT    NULL,
    decision_reason  TEXT    NULL,
    notes            TEXT    NULL
);

CREATE TABLE takedowns (
    takedown_id   TEXT PRIMARY KEY,
    decision_id   TEXT NOT NULL REFERENCES decisions ON DELETE CASCADE,
    platform      TEXT NOT NULL,
    content_id    TEXT NOT NULL,
    version       INTEGER NOT NULL,
    requested_by  TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    completed_at  TEXT NULL
);

CREATE TABLE report_cases (
    case_id      TEXT PRIMARY KEY,
    decision_id  TEXT NOT NULL UNIQUE REFERENCES decisions ON DELETE CASCADE,
    categories   TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filed')),
    filed_at     TEXT NULL
);
