-- Issue 12, finding 3: notes become rows (author, time, text), so a note's text can never pass for another
-- author's line. The old text column held "[time user] text" lines, and a note body could embed such a line.

CREATE TABLE review_notes (
    note_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    decision_id  uuid        NOT NULL REFERENCES quarantine ON DELETE CASCADE,
    author       text        NOT NULL,
    written_at   timestamptz NOT NULL,
    text         text        NOT NULL,
    -- note: written with POST /notes; decision: given with a claim's decision; imported: old text of unknown authorship.
    kind         text        NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'decision', 'imported'))
);
CREATE INDEX review_notes_item ON review_notes (decision_id, note_id);

-- The notes written so far, from the audit log: every note was committed together with its audit row, which holds
-- the real author, the time and the text. The old column is not read for authorship: that is what could be forged.
INSERT INTO review_notes (decision_id, author, written_at, text, kind)
SELECT decision_id, actor, occurred_at, text, kind
FROM (
    SELECT a.audit_id, a.decision_id, a.actor, a.occurred_at, btrim(a.details->>'text', E' \t\r\n') AS text, 'note' AS kind
    FROM review_audit_log a JOIN quarantine q ON q.decision_id = a.decision_id
    WHERE a.action = 'item.note'
    UNION ALL
    SELECT a.audit_id, a.decision_id, a.actor, a.occurred_at, btrim(a.details->>'notes', E' \t\r\n'), 'decision'
    FROM review_audit_log a JOIN quarantine q ON q.decision_id = a.decision_id
    WHERE a.action IN ('item.confirm', 'item.release', 'item.escalate')
) n
WHERE coalesce(text, '') <> ''
ORDER BY occurred_at, audit_id;

-- Text that no audit row accounts for (written outside the app) is kept, whole, as one imported note whose
-- author is not claimed: the page shows it as "imported, author unknown".
INSERT INTO review_notes (decision_id, author, written_at, text, kind)
SELECT q.decision_id, '', coalesce(q.decided_at, q.escalated_at, q.created_at), q.notes, 'imported'
FROM quarantine q
WHERE coalesce(q.notes, '') <> ''
  AND NOT EXISTS (SELECT 1 FROM review_notes n WHERE n.decision_id = q.decision_id);

ALTER TABLE quarantine DROP COLUMN notes;
