-- Restaurants (stores), their staff, their products and customers' favourites.
CREATE TABLE restaurants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL
    CHECK (category IN ('bakery', 'restaurant', 'cafe', 'supermarket', 'other')),
  address TEXT NOT NULL,
  latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  phone TEXT,
  time_zone TEXT NOT NULL,         -- IANA name, e.g. Europe/Berlin
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- The bounding-box prefilter of the nearby search reads this index.
CREATE INDEX restaurants_location ON restaurants (latitude, longitude);

CREATE TABLE restaurant_staff (
  restaurant_id TEXT NOT NULL REFERENCES restaurants (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (restaurant_id, user_id)
);
CREATE INDEX restaurant_staff_user ON restaurant_staff (user_id);

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  restaurant_id TEXT NOT NULL REFERENCES restaurants (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  dietary_tags TEXT NOT NULL,      -- JSON array of tag names, e.g. ["vegan","gluten-free"]
  price_amount BIGINT NOT NULL CHECK (price_amount >= 0),  -- minor units
  price_currency TEXT NOT NULL,    -- ISO 4217
  active BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX products_restaurant ON products (restaurant_id, id);

CREATE TABLE favourites (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  restaurant_id TEXT NOT NULL REFERENCES restaurants (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, restaurant_id)
);
CREATE INDEX favourites_restaurant ON favourites (restaurant_id);
