-- Content banks on the embedded default: the same tables as PostgreSQL's 0400, in SQLite types
-- (timestamps ISO-8601 UTC text, ids text). SQLite has one writer at a time, so the bank_version row
-- is taken in order anyway; see the PostgreSQL file for why the version is a counter row.

CREATE TABLE bank_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO bank_version (id, version) VALUES (1, 0);

CREATE TABLE banks (
    bank_id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL UNIQUE,
    category         INTEGER NOT NULL CHECK (category BETWEEN 1 AND 9),
    sub_label        TEXT    NULL,
    action           TEXT    NOT NULL CHECK (action IN ('quarantine', 'block')),
    threshold        REAL    NOT NULL CHECK (threshold > 0 AND threshold <= 1),
    enabled          INTEGER NOT NULL,
    description      TEXT    NULL,
    created_by       TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    created_version  INTEGER NOT NULL
);

CREATE TABLE bank_toggles (
    version    INTEGER NOT NULL,
    bank_id    INTEGER NOT NULL REFERENCES banks,
    enabled    INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    PRIMARY KEY (version, bank_id)
);
CREATE INDEX bank_toggles_bank ON bank_toggles (bank_id, version);

CREATE TABLE bank_entries (
    entry_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_id        INTEGER NOT NULL REFERENCES banks,
    text           TEXT    NOT NULL,
    source         TEXT    NULL,
    note           TEXT    NULL,
    origin         TEXT    NOT NULL CHECK (origin IN ('confirm', 'import', 'manual')),
    decision_id    TEXT    NULL,
    added_by       TEXT    NOT NULL,
    added_at       TEXT    NOT NULL,
    added_version  INTEGER NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled', 'removed')),
    ended_by       TEXT    NULL,
    ended_at       TEXT    NULL,
    ended_version  INTEGER NULL,
    end_reason     TEXT    NULL,
    CHECK ((state = 'active') = (ended_version IS NULL))
);
CREATE INDEX bank_entries_bank ON bank_entries (bank_id, entry_id);
CREATE INDEX bank_entries_added_version ON bank_entries (added_version);
CREATE INDEX bank_entries_ended_version ON bank_entries (ended_version) WHERE ended_version IS NOT NULL;
CREATE INDEX bank_entries_decision ON bank_entries (decision_id) WHERE decision_id IS NOT NULL;

CREATE TRIGGER bank_toggles_no_update BEFORE UPDATE ON bank_toggles
BEGIN
    SELECT RAISE(ABORT, 'bank_toggles is append-only (UPDATE rejected)');
END;
CREATE TRIGGER bank_toggles_no_delete BEFORE DELETE ON bank_toggles
BEGIN
    SELECT RAISE(ABORT, 'bank_toggles is append-only (DELETE rejected)');
END;

ALTER TABLE decisions ADD COLUMN bank_version TEXT NULL;
