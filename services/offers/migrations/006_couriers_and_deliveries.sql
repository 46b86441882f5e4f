-- Couriers are COURIER users of the orders service; the courier id is the user id.
CREATE TABLE couriers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  vehicle TEXT NOT NULL,           -- BIKE, SCOOTER, CAR or ON_FOOT
  status TEXT NOT NULL,            -- OFFLINE, AVAILABLE or BUSY
  latitude DOUBLE PRECISION,       -- last reported location, NULL until the first report
  longitude DOUBLE PRECISION,
  location_at BIGINT,              -- when it was reported, microseconds UTC
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CONSTRAINT couriers_vehicle CHECK (vehicle IN ('BIKE', 'SCOOTER', 'CAR', 'ON_FOOT')),
  CONSTRAINT couriers_status CHECK (status IN ('OFFLINE', 'AVAILABLE', 'BUSY'))
);
CREATE INDEX couriers_available ON couriers (status, latitude, longitude);

-- One delivery per order. proof_code is the code the customer gives the courier at the
-- door; it is shown to the customer and never to the courier.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL UNIQUE,
  restaurant_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  courier_id TEXT REFERENCES couriers (id),
  status TEXT NOT NULL,            -- PENDING, ASSIGNED, PICKED_UP, DELIVERED, FAILED, CANCELLED
  pickup_latitude DOUBLE PRECISION NOT NULL,
  pickup_longitude DOUBLE PRECISION NOT NULL,
  dropoff_latitude DOUBLE PRECISION NOT NULL,
  dropoff_longitude DOUBLE PRECISION NOT NULL,
  dropoff_address TEXT NOT NULL,
  proof_code TEXT NOT NULL,
  failure_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  assigned_at BIGINT,
  picked_up_at BIGINT,
  finished_at BIGINT,              -- DELIVERED, FAILED or CANCELLED
  CONSTRAINT deliveries_status CHECK (status IN ('PENDING', 'ASSIGNED', 'PICKED_UP', 'DELIVERED', 'FAILED', 'CANCELLED'))
);
CREATE INDEX deliveries_courier ON deliveries (courier_id, status);
CREATE INDEX deliveries_status ON deliveries (status, id);
