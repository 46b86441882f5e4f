-- Events written in the same transaction as the change they describe; a relay sends
-- them to the notifications service in seq order and sets sent_at once acknowledged.
CREATE TABLE outbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  envelope TEXT NOT NULL,          -- the JSON event envelope, channels included
  occurred_at BIGINT NOT NULL,     -- microseconds since the Unix epoch, UTC
  sent_at BIGINT
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
