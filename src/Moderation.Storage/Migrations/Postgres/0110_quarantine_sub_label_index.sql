-- The queue's sub-label filter, ordered by severity. A sub-label is narrow and its items cluster at one
-- severity (a lexicon term has one), so walking the severity keyset index until 50 match can pass most
-- of the queue (measured: 40,000 rows, 100-270 ms at p95, among 100,000 open items).
-- Almost every item has one sub-label: this index serves them in page order by their first one ...
CREATE INDEX quarantine_open_first_sub_label
    ON quarantine (status, (sub_labels[1]), (-max_severity), (-top_score), created_at, decision_id)
    WHERE status IN ('pending', 'escalated');
-- ... and this small one finds the few with more, where the one asked for is not the first.
CREATE INDEX quarantine_open_more_sub_labels
    ON quarantine USING gin (sub_labels)
    WHERE status IN ('pending', 'escalated') AND cardinality(sub_labels) > 1;
