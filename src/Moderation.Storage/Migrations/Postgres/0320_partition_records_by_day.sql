-- Issue 10: retention by day. post_records becomes a table partitioned by the UTC day a record was received
-- (record_day), so expiry is a partition drop. Layout (docs/compliance.md, "Retention"):
--   * post_record_keys: one row per (platform, content_id, version), not partitioned. It is the idempotency key
--     (a partitioned table's primary key must include the partition key, so it can no longer hold this one) and
--     what decisions reference (a foreign key needs a unique key it can point at); deleting a key cascades to the
--     decision, its quarantine row, takedowns and report cases as before.
--   * post_records: PRIMARY KEY (platform, content_id, version, record_day), one partition per day
--     (post_records_dYYYYMMDD), a kept partition for held rows (record_day = 'infinity'; held rows move there
--     before their day is dropped), and a default partition for any day without its own.
-- Queries by (platform, content_id, version) keep working through an index on those columns.

CREATE TABLE post_record_keys (
    platform    text   NOT NULL,
    content_id  text   NOT NULL,
    version     bigint NOT NULL,
    PRIMARY KEY (platform, content_id, version)
);
INSERT INTO post_record_keys SELECT platform, content_id, version FROM post_records;

-- Every foreign key that points at post_records (decisions', and any other table's) now points at the keys.
DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT conrelid::regclass AS tbl, conname, pg_get_constraintdef(oid) AS def
              FROM pg_constraint WHERE contype = 'f' AND confrelid = 'post_records'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname,
                       replace(fk.def, 'REFERENCES post_records(', 'REFERENCES post_record_keys('));
    END LOOP;
END
$$;

ALTER TABLE post_records RENAME TO post_records_unpartitioned;
ALTER INDEX post_records_pkey RENAME TO post_records_unpartitioned_pkey;
DROP INDEX post_records_retain_until;
DROP INDEX post_records_author;

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
    legal_hold      boolean     NOT NULL DEFAULT false,
    record_day      date        NOT NULL,
    PRIMARY KEY (platform, content_id, version, record_day)
) PARTITION BY RANGE (record_day);
CREATE TABLE post_records_held PARTITION OF post_records FOR VALUES FROM ('infinity') TO (MAXVALUE);
CREATE TABLE post_records_default PARTITION OF post_records DEFAULT;
CREATE INDEX post_records_key ON post_records (platform, content_id, version);
CREATE INDEX post_records_retain_until ON post_records (retain_until) WHERE NOT legal_hold;
CREATE INDEX post_records_author ON post_records (platform, author_id);

-- Creates the day partitions [p_from, p_from + p_days) that do not exist yet. SECURITY DEFINER: only the table's owner
-- may add partitions, and the worker's runtime role must not own tables. A day whose rows already sit in the
-- default partition is skipped (they are purged row by row from there).
CREATE FUNCTION ensure_record_partitions(p_from date, p_days integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    d date;
    created integer := 0;
BEGIN
    FOR i IN 0 .. p_days - 1 LOOP
        d := p_from + i;
        IF to_regclass(format('post_records_d%s', to_char(d, 'YYYYMMDD'))) IS NULL
           AND NOT EXISTS (SELECT 1 FROM post_records_default WHERE record_day = d) THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF post_records FOR VALUES FROM (%L) TO (%L)',
                           format('post_records_d%s', to_char(d, 'YYYYMMDD')), d, d + 1);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- The existing rows: a partition for each day they came in on, then a copy (held rows straight into the kept partition).
SELECT ensure_record_partitions(d, 1)
FROM (SELECT DISTINCT (received_at AT TIME ZONE 'UTC')::date AS d FROM post_records_unpartitioned WHERE NOT legal_hold) days;
SELECT ensure_record_partitions((now() AT TIME ZONE 'UTC')::date, 3);
INSERT INTO post_records
SELECT platform, content_id, version, service_type, author_id, title, body, urls, published_at, edited_at, source_ip, source_port,
       received_at, content_sha256, retain_until, legal_hold,
       CASE WHEN legal_hold THEN 'infinity'::date ELSE (received_at AT TIME ZONE 'UTC')::date END
FROM post_records_unpartitioned;
DROP TABLE post_records_unpartitioned;

-- The retention purge (the worker's, hourly). A whole day is dropped once none of its unheld rows is still within
-- its retention date: held rows first move to the kept partition, every ledger entry of the rows that go is written
-- to the deletion log, their keys are deleted (decisions and what hangs off them follow by cascade), and the
-- partition is detached and dropped. Rows outside the day partitions (the default and kept partitions) are purged
-- row by row with the same deletion log. Returns how many records went. SECURITY DEFINER for the same reason as above.
CREATE FUNCTION purge_expired_records(p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_part record;
    v_day date;
    v_busy boolean;
    v_pid bigint := nextval(pg_get_serial_sequence('ledger_purges', 'purge_id'));
    v_records bigint;
    v_entries bigint;
    v_records_total bigint := 0;
    v_entries_total bigint := 0;
    v_dropped integer := 0;
BEGIN
    FOR v_part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'post_records'::regclass AND c.relname ~ '^post_records_d[0-9]{8}$'
                ORDER BY c.relname
    LOOP
        v_day := to_date(substr(v_part.relname, 15), 'YYYYMMDD');
        EXIT WHEN v_day >= (p_now AT TIME ZONE 'UTC')::date;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE retain_until >= $1 AND NOT legal_hold)', v_part.relname) INTO v_busy USING p_now;
        CONTINUE WHEN v_busy;
        UPDATE post_records SET record_day = 'infinity' WHERE record_day = v_day AND legal_hold;
        EXECUTE format('INSERT INTO ledger_deletions (platform, day, seq, entry_hash, purge_id)
                        SELECT e.platform, e.day, e.seq, e.entry_hash, $1 FROM %I r
                        JOIN ledger_entries e ON e.platform = r.platform AND e.content_id = r.content_id AND e.version = r.version
                        ON CONFLICT DO NOTHING', v_part.relname) USING v_pid;
        GET DIAGNOSTICS v_entries = ROW_COUNT;
        EXECUTE format('DELETE FROM post_record_keys k USING %I r
                        WHERE k.platform = r.platform AND k.content_id = r.content_id AND k.version = r.version', v_part.relname);
        GET DIAGNOSTICS v_records = ROW_COUNT;
        EXECUTE format('ALTER TABLE post_records DETACH PARTITION %I', v_part.relname);
        EXECUTE format('DROP TABLE %I', v_part.relname);
        v_records_total := v_records_total + v_records;
        v_entries_total := v_entries_total + v_entries;
        v_dropped := v_dropped + 1;
    END LOOP;

    WITH doomed AS (
        DELETE FROM post_records
        WHERE tableoid IN ('post_records_default'::regclass, 'post_records_held'::regclass) AND retain_until < p_now AND NOT legal_hold
        RETURNING platform, content_id, version),
    logged AS (
        INSERT INTO ledger_deletions (platform, day, seq, entry_hash, purge_id)
        SELECT le.platform, le.day, le.seq, le.entry_hash, v_pid FROM doomed d
        JOIN ledger_entries le ON le.platform = d.platform AND le.content_id = d.content_id AND le.version = d.version
        ON CONFLICT DO NOTHING
        RETURNING 1),
    keys AS (
        DELETE FROM post_record_keys k USING doomed d
        WHERE k.platform = d.platform AND k.content_id = d.content_id AND k.version = d.version
        RETURNING 1)
    SELECT (SELECT count(*) FROM keys), (SELECT count(*) FROM logged) INTO v_records, v_entries;
    v_records_total := v_records_total + v_records;
    v_entries_total := v_entries_total + v_entries;

    IF v_records_total > 0 THEN
        INSERT INTO ledger_purges (purge_id, purged_at, records, entries, method) OVERRIDING SYSTEM VALUE
        VALUES (v_pid, p_now, v_records_total, v_entries_total, format('%s day partition(s) dropped, %s row(s) deleted', v_dropped, v_records));
    END IF;
    RETURN v_records_total;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'moderation_worker') THEN
        GRANT EXECUTE ON FUNCTION ensure_record_partitions(date, integer), purge_expired_records(timestamptz) TO moderation_worker;
    END IF;
END
$$;
