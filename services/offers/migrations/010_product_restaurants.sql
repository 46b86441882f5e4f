-- The restaurant each product belongs to, as the orders service (its owner) reported it.
-- A product never moves to another restaurant, so a stored row never goes stale.
CREATE TABLE products (
  id TEXT PRIMARY KEY,
  restaurant_id TEXT NOT NULL,
  fetched_at BIGINT NOT NULL       -- microseconds UTC
);
