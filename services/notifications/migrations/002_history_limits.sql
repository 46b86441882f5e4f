-- When each history entry was stored, so entries older than the configured history age
-- are neither served nor kept.
ALTER TABLE channel_events ADD COLUMN stored_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX channel_events_stored_at ON channel_events (stored_at);
-- Pruning removes an event once no history entry refers to it and its deduplication
-- window has passed; these indexes keep both checks from scanning whole tables.
CREATE INDEX channel_events_event_id ON channel_events (event_id);
CREATE INDEX events_received_at ON events (received_at);

-- The epoch that new channels start with. It is generated once per database, so offsets
-- that clients remember from a database that was since recreated are never taken as
-- current. One row only.
CREATE TABLE log_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  epoch TEXT NOT NULL
);
