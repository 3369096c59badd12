-- Issue 10, clause 1.5: lawful requests, as PostgreSQL's 0310 in SQLite types.
CREATE TABLE lawful_requests (
    request_id       TEXT    PRIMARY KEY,
    authority        TEXT    NOT NULL,
    document_number  TEXT    NOT NULL,
    legal_basis      TEXT    NOT NULL,
    platform         TEXT    NOT NULL,
    author_id        TEXT    NULL,
    content_ids      TEXT    NOT NULL DEFAULT '[]',
    source_ip        TEXT    NULL,
    published_from   TEXT    NULL,
    published_to     TEXT    NULL,
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'exported')),
    registered_by    TEXT    NOT NULL,
    registered_at    TEXT    NOT NULL,
    decided_by       TEXT    NULL,
    decided_at       TEXT    NULL,
    decision_reason  TEXT    NULL,
    exported_by      TEXT    NULL,
    exported_at      TEXT    NULL,
    CHECK (decided_by IS NULL OR decided_by <> registered_by)
);
CREATE INDEX lawful_requests_by_status ON lawful_requests (status, registered_at);

CREATE TABLE lawful_request_exports (
    request_id       TEXT    PRIMARY KEY REFERENCES lawful_requests,
    records_jsonl    TEXT    NOT NULL,
    manifest_json    TEXT    NOT NULL,
    signature        TEXT    NOT NULL,
    public_key_pem   TEXT    NOT NULL,
    record_count     INTEGER NOT NULL,
    created_at       TEXT    NOT NULL
);
CREATE TRIGGER lawful_request_exports_no_update BEFORE UPDATE ON lawful_request_exports BEGIN SELECT RAISE(ABORT, 'lawful_request_exports is append-only (UPDATE rejected)'); END;
CREATE TRIGGER lawful_request_exports_no_delete BEFORE DELETE ON lawful_request_exports BEGIN SELECT RAISE(ABORT, 'lawful_request_exports is append-only (DELETE rejected)'); END;
