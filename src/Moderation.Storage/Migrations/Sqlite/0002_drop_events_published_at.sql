ALTER TABLE decisions DROP COLUMN events_published_at;
