-- The restaurants' locations as the orders service (their owner) reported them, kept so
-- that publishing an offer and creating a delivery do not need a call to that service.
CREATE TABLE restaurants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  updated_at BIGINT NOT NULL       -- when this copy was written, microseconds UTC
);
