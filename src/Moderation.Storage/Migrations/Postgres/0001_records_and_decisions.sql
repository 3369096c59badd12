-- Clause 1.5 records, decisions, quarantine, takedowns and report cases.
-- One row per post version; (platform, content_id, version) is the idempotency key everywhere.

CREATE TABLE post_records (
    platform        text        NOT NULL,
    content_id      text        NOT NULL,
    version         bigint      NOT NULL,
    service_type    text        NOT NULL,
    author_id       text        NOT NULL,
    title           text        NULL,
    body            text        NOT NULL,
    urls            text[]      NOT NULL DEFAULT '{}',
    published_at    timestamptz NOT NULL,
    edited_at       timestamptz NULL,
    source_ip       inet        NOT NULL,
    source_port     integer     NULL,
    received_at     timestamptz NOT NULL,
    content_sha256  text        NOT NULL,
    retain_until    timestamptz NOT NULL,
    -- Clause 6 / lawful requests: a frozen record survives retention purges.
    legal_hold      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (platform, content_id, version)
);
CREATE INDEX post_records_retain_until ON post_records (retain_until) WHERE NOT legal_hold;
CREATE INDEX post_records_author ON post_records (platform, author_id);

CREATE TABLE decisions (
    decision_id         uuid        PRIMARY KEY,
    platform            text        NOT NULL,
    content_id          text        NOT NULL,
    version             bigint      NOT NULL,
    action              text        NOT NULL CHECK (action IN ('pass', 'quarantine', 'block')),
    categories          integer[]   NOT NULL,
    scores              jsonb       NOT NULL,
    hits                jsonb       NOT NULL,
    reasons             jsonb       NOT NULL,
    lexicon_version     text        NOT NULL,
    model_version       text        NOT NULL,
    policy_version      text        NOT NULL,
    decided_at          timestamptz NOT NULL,
    evidence_json       text        NOT NULL,
    evidence_sha256     text        NOT NULL,
    -- Set once every event of this decision reached the broker; a redelivery re-publishes when null.
    events_published_at timestamptz NULL,
    UNIQUE (platform, content_id, version),
    FOREIGN KEY (platform, content_id, version) REFERENCES post_records ON DELETE CASCADE
);
CREATE INDEX decisions_unpublished ON decisions (decided_at) WHERE events_published_at IS NULL;

CREATE TABLE quarantine (
    decision_id      uuid        PRIMARY KEY REFERENCES decisions ON DELETE CASCADE,
    platform         text        NOT NULL,
    content_id       text        NOT NULL,
    version          bigint      NOT NULL,
    service_type     text        NOT NULL,
    categories       integer[]   NOT NULL,
    sub_labels       text[]      NOT NULL DEFAULT '{}',
    max_severity     integer     NOT NULL,
    top_score        double precision NOT NULL,
    status           text        NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'escalated', 'confirmed', 'released')),
    claimed_by       text        NULL,
    claim_expires_at timestamptz NULL,
    created_at       timestamptz NOT NULL,
    decided_by       text        NULL,
    decided_at       timestamptz NULL,
    decision_reason  text        NULL,
    notes            text        NULL
);
CREATE INDEX quarantine_open_by_age ON quarantine (created_at) WHERE status IN ('pending', 'escalated');
CREATE INDEX quarantine_open_by_severity ON quarantine (max_severity DESC, top_score DESC, created_at) WHERE status IN ('pending', 'escalated');
CREATE INDEX quarantine_categories ON quarantine USING gin (categories);

CREATE TABLE takedowns (
    takedown_id   uuid        PRIMARY KEY,
    decision_id   uuid        NOT NULL REFERENCES decisions ON DELETE CASCADE,
    platform      text        NOT NULL,
    content_id    text        NOT NULL,
    version       bigint      NOT NULL,
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL,
    completed_at  timestamptz NULL
);
CREATE INDEX takedowns_content ON takedowns (platform, content_id, version);

-- Clause 3: a report to the regulator, due within a configured time of the decision.
CREATE TABLE report_cases (
    case_id      uuid        PRIMARY KEY,
    decision_id  uuid        NOT NULL UNIQUE REFERENCES decisions ON DELETE CASCADE,
    categories   integer[]   NOT NULL,
    opened_at    timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filed')),
    filed_at     timestamptz NULL
);
