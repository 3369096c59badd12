-- Whether a decision's events went out is now known from the delivery itself (a redelivery or a
-- retry re-emits; a fresh republish of a stored post does not), so the extra write per batch is gone.
DROP INDEX IF EXISTS decisions_unpublished;
ALTER TABLE decisions DROP COLUMN IF EXISTS events_published_at;
