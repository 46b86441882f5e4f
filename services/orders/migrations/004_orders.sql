-- Orders of customers, their lines and their ratings. An order holds one offer; its lines
-- keep the title and prices as the offers service reported them when the units were
-- reserved, so later changes to the offer do not change what the customer bought.
CREATE TABLE orders (
  id TEXT PRIMARY KEY,             -- also the reservation id in the offers service
  customer_id TEXT NOT NULL REFERENCES users (id),
  idempotency_key TEXT NOT NULL,   -- Idempotency-Key header, unique per customer
  request_hash TEXT NOT NULL,      -- hex BLAKE2b of the normalised request body
  offer_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  restaurant_id TEXT,              -- NULL until the offers service has described the offer
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED',
    'COLLECTED', 'NO_SHOW', 'OUT_FOR_DELIVERY', 'DELIVERED', 'DELIVERY_FAILED')),
  rejection_code TEXT,             -- SOLD_OUT, LIMIT_EXCEEDED, OFFER_NOT_ACTIVE, UNAVAILABLE
  rejection_message TEXT,
  fulfilment TEXT NOT NULL CHECK (fulfilment IN ('PICKUP', 'DELIVERY')),
  delivery_address TEXT,           -- the drop-off of a DELIVERY order
  delivery_latitude DOUBLE PRECISION,
  delivery_longitude DOUBLE PRECISION,
  total_amount BIGINT,             -- minor units; NULL until confirmed
  currency TEXT,
  pickup_start BIGINT,             -- the offer's pickup window, microseconds since the epoch
  pickup_end BIGINT,
  cancel_until BIGINT,             -- the customer may cancel before this instant
  pickup_code TEXT NOT NULL,
  cancellation_reason TEXT,
  cancelled_by TEXT,               -- CUSTOMER, STORE or ADMIN
  delivery_id TEXT,                -- the delivery in the offers service
  delivery_status TEXT,            -- its last status seen there
  courier_id TEXT,
  -- Work that the reconciler retries until the offers service acknowledges it.
  release_required BOOLEAN NOT NULL DEFAULT FALSE,
  delivery_required BOOLEAN NOT NULL DEFAULT FALSE,
  claimed_until BIGINT,            -- a reconciler owns the PENDING order until then
  reconcile_attempts INTEGER NOT NULL DEFAULT 0,
  code_failures INTEGER NOT NULL DEFAULT 0,   -- wrong pickup codes in the current window
  code_window_start BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  rejected_at BIGINT,
  cancelled_at BIGINT,
  collected_at BIGINT,
  no_show_at BIGINT,
  out_for_delivery_at BIGINT,
  delivered_at BIGINT,
  delivery_failed_at BIGINT,
  UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX orders_customer ON orders (customer_id, id);
CREATE INDEX orders_restaurant ON orders (restaurant_id, id);
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'PENDING';
CREATE INDEX orders_confirmed_pickup_end ON orders (pickup_end) WHERE status = 'CONFIRMED';
CREATE INDEX orders_release_required ON orders (id) WHERE release_required;
CREATE INDEX orders_delivery_open ON orders (id)
  WHERE fulfilment = 'DELIVERY' AND status IN ('CONFIRMED', 'OUT_FOR_DELIVERY', 'CANCELLED');

CREATE TABLE order_lines (
  order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_number INTEGER NOT NULL,
  offer_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  title TEXT,                      -- NULL until confirmed, like the prices
  unit_price_amount BIGINT,
  original_unit_price_amount BIGINT,
  currency TEXT,
  PRIMARY KEY (order_id, line_number)
);

CREATE TABLE order_ratings (
  order_id TEXT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  restaurant_id TEXT NOT NULL REFERENCES restaurants (id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX order_ratings_restaurant ON order_ratings (restaurant_id);

-- Kept up to date in the transaction that stores a rating, so restaurant reads need no
-- aggregate query.
ALTER TABLE restaurants ADD COLUMN rating_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE restaurants ADD COLUMN rating_sum BIGINT NOT NULL DEFAULT 0;
