-- Stock on hand per restaurant and product. Product ids belong to the orders service.
-- Quantities are whole units of `unit` (pieces, portions, g), so product offers can take
-- units out of stock exactly.
CREATE TABLE inventory (
  restaurant_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit TEXT NOT NULL,
  best_before TEXT,                -- ISO 8601 date YYYY-MM-DD, so text order is date order
  updated_at BIGINT NOT NULL,      -- microseconds since the Unix epoch, UTC
  PRIMARY KEY (restaurant_id, product_id),
  CONSTRAINT inventory_quantity_not_negative CHECK (quantity >= 0)
);
CREATE INDEX inventory_low_stock ON inventory (restaurant_id, quantity);
CREATE INDEX inventory_expiring ON inventory (restaurant_id, best_before);
