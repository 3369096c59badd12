-- Issue 10: the record ledger on the embedded default; the same tables as PostgreSQL's 0300 in SQLite types
-- (days as 'yyyy-MM-dd' text, timestamps ISO-8601 UTC text). Format: docs/compliance.md.

CREATE TABLE ledger_heads (
    platform   TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    last_hash  TEXT    NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    closed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, day)
);

CREATE TABLE ledger_entries (
    platform     TEXT    NOT NULL,
    day          TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('record', 'decision', 'review')),
    content_id   TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    decision_id  TEXT    NULL,
    prev_hash    TEXT    NOT NULL,
    entry_hash   TEXT    NOT NULL,
    appended_at  TEXT    NOT NULL,
    PRIMARY KEY (platform, day, seq)
);
CREATE INDEX ledger_entries_subject ON ledger_entries (platform, content_id, version);

CREATE TABLE ledger_roots (
    platform   TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    entries    INTEGER NOT NULL,
    last_hash  TEXT    NOT NULL,
    signature  TEXT    NOT NULL,
    key_id     TEXT    NOT NULL,
    signed_at  TEXT    NOT NULL,
    PRIMARY KEY (platform, day)
);

CREATE TABLE ledger_roots_published (
    platform      TEXT NOT NULL,
    day           TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    PRIMARY KEY (platform, day)
);

CREATE TABLE ledger_deletions (
    platform    TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    entry_hash  TEXT    NOT NULL,
    purge_id    INTEGER NOT NULL,
    PRIMARY KEY (platform, day, seq)
);

CREATE TABLE ledger_purges (
    purge_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    purged_at  TEXT    NOT NULL,
    records    INTEGER NOT NULL,
    entries    INTEGER NOT NULL,
    method     TEXT    NOT NULL
);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only (UPDATE rejected)'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only (DELETE rejected)'); END;
CREATE TRIGGER ledger_roots_no_update BEFORE UPDATE ON ledger_roots BEGIN SELECT RAISE(ABORT, 'ledger_roots is append-only (UPDATE rejected)'); END;
CREATE TRIGGER ledger_roots_no_delete BEFORE DELETE ON ledger_roots BEGIN SELECT RAISE(ABORT, 'ledger_roots is append-only (DELETE rejected)'); END;
CREATE TRIGGER ledger_deletions_no_update BEFORE UPDATE ON ledger_deletions BEGIN SELECT RAISE(ABORT, 'ledger_deletions is append-only (UPDATE rejected)'); END;
CREATE TRIGGER ledger_deletions_no_delete BEFORE DELETE ON ledger_deletions BEGIN SELECT RAISE(ABORT, 'ledger_deletions is append-only (DELETE rejected)'); END;

-- Records stored before the ledger existed: counted by `records verify`, not reported as inserted.
CREATE TABLE ledger_preexisting (
    platform    TEXT    NOT NULL,
    content_id  TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (platform, content_id, version)
);
INSERT INTO ledger_preexisting SELECT platform, content_id, version FROM post_records;
CREATE TRIGGER ledger_preexisting_no_insert BEFORE INSERT ON ledger_preexisting BEGIN SELECT RAISE(ABORT, 'ledger_preexisting is fixed at migration time'); END;
