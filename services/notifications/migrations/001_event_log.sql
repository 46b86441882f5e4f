-- Each event is stored once, keyed by the id its producer gave it, so a replayed batch
-- is acknowledged without being stored twice.
CREATE TABLE events (
  event_id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  envelope TEXT NOT NULL,          -- the JSON event envelope as received
  occurred_at BIGINT NOT NULL,     -- microseconds since the Unix epoch, UTC
  received_at BIGINT NOT NULL
);

-- A channel's position: its epoch changes when its history is reset, so a client can
-- tell that an offset from an older epoch cannot be recovered.
CREATE TABLE channels (
  name TEXT PRIMARY KEY,
  epoch TEXT NOT NULL,
  last_offset BIGINT NOT NULL
);

-- The history of each channel: offsets increase by one per event in that channel.
CREATE TABLE channel_events (
  channel TEXT NOT NULL REFERENCES channels (name),
  channel_offset BIGINT NOT NULL,
  event_id TEXT NOT NULL REFERENCES events (event_id),
  PRIMARY KEY (channel, channel_offset)
);
