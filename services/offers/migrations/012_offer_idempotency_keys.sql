-- An offer created with an Idempotency-Key keeps the key, unique per restaurant, and the
-- request body. A retry of that request then returns the offer instead of creating a
-- second one, and the same key with another body is told apart. Rows without a key have
-- NULL here, and NULLs never collide in a unique index.
ALTER TABLE offers ADD COLUMN idempotency_key TEXT;
ALTER TABLE offers ADD COLUMN idempotency_body TEXT;
CREATE UNIQUE INDEX offers_idempotency_key ON offers (restaurant_id, idempotency_key);
