-- Units of an offer held for an order. The id is chosen by the caller (the order id), which
-- makes reserving idempotent. A release of an id that was never reserved leaves a RELEASED
-- row without an offer, so a reservation that arrives after its release cannot hold units.
CREATE TABLE reservations (
  id TEXT PRIMARY KEY,
  offer_id TEXT REFERENCES offers (id),
  customer_id TEXT,
  quantity BIGINT NOT NULL,
  unit_price_amount BIGINT,        -- the offer's price when reserved, minor units
  currency TEXT,
  status TEXT NOT NULL,            -- HELD or RELEASED
  created_at BIGINT NOT NULL,
  released_at BIGINT,
  CONSTRAINT reservations_status CHECK (status IN ('HELD', 'RELEASED')),
  CONSTRAINT reservations_quantity CHECK (quantity >= 0)
);
CREATE INDEX reservations_customer ON reservations (offer_id, customer_id, status);
