-- Reduced-price offers. Money is in minor units of `currency`; times are microseconds
-- since the Unix epoch, UTC. latitude and longitude are the restaurant's location, copied
-- when the offer is published, and are NULL for drafts.
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  restaurant_id TEXT NOT NULL,
  kind TEXT NOT NULL,              -- SURPRISE_BAG or PRODUCT
  product_id TEXT,                 -- PRODUCT offers: the inventory row they draw from
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  dietary_tags TEXT NOT NULL,      -- ",vegan,halal," so LIKE '%,vegan,%' matches one tag
  price_amount BIGINT NOT NULL,
  original_amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  quantity_total BIGINT NOT NULL,  -- units offered (drawn from inventory on publish)
  quantity_available BIGINT NOT NULL,
  max_per_customer BIGINT NOT NULL,
  pickup_start BIGINT NOT NULL,
  pickup_end BIGINT NOT NULL,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  status TEXT NOT NULL,            -- DRAFT, ACTIVE, SOLD_OUT, EXPIRED or CANCELLED
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  CONSTRAINT offers_kind CHECK (kind IN ('SURPRISE_BAG', 'PRODUCT')),
  CONSTRAINT offers_status CHECK (status IN ('DRAFT', 'ACTIVE', 'SOLD_OUT', 'EXPIRED', 'CANCELLED')),
  CONSTRAINT offers_price_below_value CHECK (price_amount >= 0 AND price_amount < original_amount),
  CONSTRAINT offers_quantity CHECK (quantity_available >= 0 AND quantity_available <= quantity_total),
  CONSTRAINT offers_max_per_customer CHECK (max_per_customer >= 1),
  CONSTRAINT offers_pickup_window CHECK (pickup_start < pickup_end)
);
-- Search: equality on status, then a range on latitude; longitude is checked from the
-- index entry before the row is read.
CREATE INDEX offers_search ON offers (status, latitude, longitude);
CREATE INDEX offers_restaurant ON offers (restaurant_id, id);
-- The expiry sweep finds ACTIVE and SOLD_OUT offers whose window has ended.
CREATE INDEX offers_pickup_end ON offers (status, pickup_end);
