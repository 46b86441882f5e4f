-- Restaurant changes that the offers service has not acknowledged yet. The offers service
-- keeps a copy of each restaurant's name and location and moves the restaurant's offers
-- with it. A row is written in the same transaction as the change and deleted once
-- PUT /internal/restaurants/{id} of the offers service accepted that change, so a call
-- that fails is retried until it arrives. Times are microseconds UTC.
CREATE TABLE restaurant_sync (
  restaurant_id TEXT PRIMARY KEY REFERENCES restaurants (id) ON DELETE CASCADE,
  version BIGINT NOT NULL,         -- the restaurant's updated_at that is to arrive
  attempts INTEGER NOT NULL,       -- failed calls for this version
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT
);
CREATE INDEX restaurant_sync_due ON restaurant_sync (next_attempt_at);
