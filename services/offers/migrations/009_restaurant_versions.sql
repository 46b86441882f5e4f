-- source_updated_at is the orders service's updatedAt of the copied name and location
-- (microseconds UTC, NULL for copies written before this column existed). A copy is only
-- replaced by one at least as new, so a late, older update cannot undo a newer one.
ALTER TABLE restaurants ADD COLUMN source_updated_at BIGINT;
