-- Content banks (issue 11, phase 2): named collections of known texts that the worker matches every post
-- against, filled by moderators' confirms, operator imports and the review API.
--
-- The bank version is a change sequence: every change (a bank created, enabled or disabled, entries added,
-- disabled or removed) takes the next number by updating the single row of bank_version. That row lock
-- serialises bank writers, so versions commit in order and a worker that has seen version V has seen every
-- change up to V (an identity column would not promise that: a lower number can commit after a higher one).
-- Workers poll that one row every second and fetch only what changed since the version they hold.
--
-- Replay: settings of a bank never change after it is created and an entry's text never changes; what
-- changes is whether a bank is enabled (bank_toggles keeps every switch with its version) and whether an
-- entry is active (added_version, ended_version). So the banks as of any version V can be rebuilt exactly.

CREATE TABLE bank_version (
    id       integer PRIMARY KEY CHECK (id = 1),
    version  bigint  NOT NULL
);
INSERT INTO bank_version (id, version) VALUES (1, 0);

CREATE TABLE banks (
    bank_id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    category         integer     NOT NULL CHECK (category BETWEEN 1 AND 9),
    sub_label        text        NULL,
    action           text        NOT NULL CHECK (action IN ('quarantine', 'block')),
    threshold        double precision NOT NULL CHECK (threshold > 0 AND threshold <= 1),
    enabled          boolean     NOT NULL,
    description      text        NULL,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL,
    created_version  bigint      NOT NULL
);

-- Every enable/disable of a bank (its creation counts as enabling it), for replay as of a version.
CREATE TABLE bank_toggles (
    version    bigint      NOT NULL,
    bank_id    bigint      NOT NULL REFERENCES banks,
    enabled    boolean     NOT NULL,
    actor      text        NOT NULL,
    at         timestamptz NOT NULL,
    -- One change may create several banks (a confirm of a post in two categories).
    PRIMARY KEY (version, bank_id)
);
CREATE INDEX bank_toggles_bank ON bank_toggles (bank_id, version);

CREATE TABLE bank_entries (
    entry_id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bank_id        bigint      NOT NULL REFERENCES banks,
    text           text        NOT NULL,
    source         text        NULL,
    note           text        NULL,
    origin         text        NOT NULL CHECK (origin IN ('confirm', 'import', 'manual')),
    -- The confirmed item it came from. No foreign key: the retention purge deletes decisions, the entry stays.
    decision_id    uuid        NULL,
    added_by       text        NOT NULL,
    added_at       timestamptz NOT NULL,
    added_version  bigint      NOT NULL,
    state          text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled', 'removed')),
    ended_by       text        NULL,
    ended_at       timestamptz NULL,
    ended_version  bigint      NULL,
    end_reason     text        NULL,
    CHECK ((state = 'active') = (ended_version IS NULL))
);
CREATE INDEX bank_entries_bank ON bank_entries (bank_id, entry_id);
CREATE INDEX bank_entries_added_version ON bank_entries (added_version);
CREATE INDEX bank_entries_ended_version ON bank_entries (ended_version) WHERE ended_version IS NOT NULL;
CREATE INDEX bank_entries_decision ON bank_entries (decision_id) WHERE decision_id IS NOT NULL;

-- History is append-only: toggles are never rewritten (the audit log keeps who and why as well).
CREATE FUNCTION bank_toggles_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bank_toggles is append-only (% rejected)', TG_OP;
END
$$;
CREATE TRIGGER bank_toggles_no_update_delete BEFORE UPDATE OR DELETE ON bank_toggles
    FOR EACH ROW EXECUTE FUNCTION bank_toggles_is_append_only();
CREATE TRIGGER bank_toggles_no_truncate BEFORE TRUNCATE ON bank_toggles
    FOR EACH STATEMENT EXECUTE FUNCTION bank_toggles_is_append_only();

-- Which bank version a decision was made with ("none" before banks or with banks switched off: NULL).
ALTER TABLE decisions ADD COLUMN bank_version text NULL;

DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moderation_worker') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON bank_toggles FROM moderation_worker;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moderation_review') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON bank_toggles FROM moderation_review;
    END IF;
END $$;
