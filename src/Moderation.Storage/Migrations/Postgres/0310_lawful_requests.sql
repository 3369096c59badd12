-- Issue 10, clause 1.5: lawful requests for records. Registered by one person, approved or rejected by another
-- (the CHECK below holds even against a bug in the application), then exported once as a signed bundle.
CREATE TABLE lawful_requests (
    request_id       uuid        PRIMARY KEY,
    authority        text        NOT NULL,
    document_number  text        NOT NULL,
    legal_basis      text        NOT NULL,
    platform         text        NOT NULL,
    author_id        text        NULL,
    content_ids      text[]      NOT NULL DEFAULT '{}',
    source_ip        inet        NULL,
    published_from   timestamptz NULL,
    published_to     timestamptz NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'exported')),
    registered_by    text        NOT NULL,
    registered_at    timestamptz NOT NULL,
    decided_by       text        NULL,
    decided_at       timestamptz NULL,
    decision_reason  text        NULL,
    exported_by      text        NULL,
    exported_at      timestamptz NULL,
    CONSTRAINT lawful_requests_four_eyes CHECK (decided_by IS NULL OR decided_by <> registered_by)
);
CREATE INDEX lawful_requests_by_status ON lawful_requests (status, registered_at);

-- The export as produced: records (JSON lines), the manifest that lists their hashes and chain proof, and its signature.
-- Kept so the same signed bundle can be downloaded again; never rewritten.
CREATE TABLE lawful_request_exports (
    request_id       uuid        PRIMARY KEY REFERENCES lawful_requests,
    records_jsonl    text        NOT NULL,
    manifest_json    text        NOT NULL,
    signature        text        NOT NULL,
    public_key_pem   text        NOT NULL,
    record_count     integer     NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE TRIGGER lawful_request_exports_append_only BEFORE UPDATE OR DELETE ON lawful_request_exports FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
