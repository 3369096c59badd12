-- Issue 10: the record ledger. Every record and decision is appended to a hash chain per (platform, UTC day)
-- in the transaction that writes it; a daily root, signed with the operator's key, closes each chain.
-- Format and verification: docs/compliance.md.

-- One row per chain: the appenders lock it (INSERT .. ON CONFLICT DO UPDATE), so appends to one chain are
-- serialised across workers; `closed` is set once, by whoever seals the day.
CREATE TABLE ledger_heads (
    platform   text    NOT NULL,
    day        date    NOT NULL,
    last_seq   bigint  NOT NULL DEFAULT 0,
    last_hash  text    NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    closed     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (platform, day)
);
CREATE INDEX ledger_heads_open ON ledger_heads (day) WHERE NOT closed;

-- The chain. Holds hashes and keys only (no content), so it outlives the retention purge of what it covers.
CREATE TABLE ledger_entries (
    platform     text        NOT NULL,
    day          date        NOT NULL,
    seq          bigint      NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('record', 'decision', 'review')),
    content_id   text        NOT NULL,
    version      bigint      NOT NULL,
    decision_id  uuid        NULL,
    prev_hash    text        NOT NULL,
    entry_hash   text        NOT NULL,
    appended_at  timestamptz NOT NULL,
    PRIMARY KEY (platform, day, seq)
);
CREATE INDEX ledger_entries_subject ON ledger_entries (platform, content_id, version);

-- The signed daily roots (ECDSA P-256 / SHA-256, DER, base64).
CREATE TABLE ledger_roots (
    platform   text        NOT NULL,
    day        date        NOT NULL,
    entries    bigint      NOT NULL,
    last_hash  text        NOT NULL,
    signature  text        NOT NULL,
    key_id     text        NOT NULL,
    signed_at  timestamptz NOT NULL,
    PRIMARY KEY (platform, day)
);

-- LedgerDayClosed went out for this root (kept apart so ledger_roots stays append-only).
CREATE TABLE ledger_roots_published (
    platform      text        NOT NULL,
    day           date        NOT NULL,
    published_at  timestamptz NOT NULL,
    PRIMARY KEY (platform, day)
);

-- The deletion log: every ledger entry whose row a retention purge removed, with its hash, so the chain still
-- verifies across the purge (a missing row is accepted only when listed here with the same hash) ...
CREATE TABLE ledger_deletions (
    platform    text        NOT NULL,
    day         date        NOT NULL,
    seq         bigint      NOT NULL,
    entry_hash  text        NOT NULL,
    purge_id    bigint      NOT NULL,
    PRIMARY KEY (platform, day, seq)
);
-- ... and one row per purge with its counts.
CREATE TABLE ledger_purges (
    purge_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purged_at     timestamptz NOT NULL,
    records       bigint      NOT NULL,
    entries       bigint      NOT NULL,
    method        text        NOT NULL
);

-- Append-only, as the audit log: the chain detects tampering, the triggers keep honest code from doing it.
CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% rejected)', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_roots_append_only BEFORE UPDATE OR DELETE ON ledger_roots FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_roots_no_truncate BEFORE TRUNCATE ON ledger_roots FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_deletions_append_only BEFORE UPDATE OR DELETE ON ledger_deletions FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_deletions_no_truncate BEFORE TRUNCATE ON ledger_deletions FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_purges_append_only BEFORE UPDATE OR DELETE ON ledger_purges FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- Records stored before the ledger existed have no entry; they are listed here once, so `records verify` counts
-- them as older than the ledger instead of reporting them as inserted behind its back.
CREATE TABLE ledger_preexisting (
    platform    text   NOT NULL,
    content_id  text   NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (platform, content_id, version)
);
INSERT INTO ledger_preexisting SELECT platform, content_id, version FROM post_records;
CREATE TRIGGER ledger_preexisting_append_only BEFORE INSERT OR UPDATE OR DELETE ON ledger_preexisting FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- Least privilege (review-hardening's roles): the runtime roles may append, never rewrite.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moderation_worker') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries, ledger_roots, ledger_deletions, ledger_purges FROM moderation_worker;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moderation_review') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries, ledger_roots, ledger_deletions, ledger_purges FROM moderation_review;
    END IF;
END
$$;
