-- Issue 12, finding 3: notes become rows (author, time, text), as on PostgreSQL (0200): a note's text can never
-- pass for another author's line. The audit log, not the old text column, says who wrote what.

CREATE TABLE review_notes (
    note_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id  TEXT    NOT NULL REFERENCES quarantine (decision_id) ON DELETE CASCADE,
    author       TEXT    NOT NULL,
    written_at   TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    kind         TEXT    NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'decision', 'imported'))
);
CREATE INDEX review_notes_item ON review_notes (decision_id, note_id);

INSERT INTO review_notes (decision_id, author, written_at, text, kind)
SELECT decision_id, actor, occurred_at, text, kind
FROM (
    SELECT a.audit_id, a.decision_id, a.actor, a.occurred_at, trim(json_extract(a.details, '$.text'), ' ' || char(9, 10, 13)) AS text, 'note' AS kind
    FROM review_audit_log a JOIN quarantine q ON q.decision_id = a.decision_id
    WHERE a.action = 'item.note'
    UNION ALL
    SELECT a.audit_id, a.decision_id, a.actor, a.occurred_at, trim(json_extract(a.details, '$.notes'), ' ' || char(9, 10, 13)), 'decision'
    FROM review_audit_log a JOIN quarantine q ON q.decision_id = a.decision_id
    WHERE a.action IN ('item.confirm', 'item.release', 'item.escalate')
) n
WHERE coalesce(text, '') <> ''
ORDER BY occurred_at, audit_id;

INSERT INTO review_notes (decision_id, author, written_at, text, kind)
SELECT q.decision_id, '', coalesce(q.decided_at, q.escalated_at, q.created_at), q.notes, 'imported'
FROM quarantine q
WHERE coalesce(q.notes, '') <> ''
  AND NOT EXISTS (SELECT 1 FROM review_notes n WHERE n.decision_id = q.decision_id);

ALTER TABLE quarantine DROP COLUMN notes;
