-- Shared by both dialects: plain types that mean the same in SQLite and PostgreSQL.
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  quantity INTEGER NOT NULL CHECK (quantity >= 0)
);
CREATE INDEX items_by_quantity ON items (quantity);
