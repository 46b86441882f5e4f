-- Wrong proof-of-delivery codes per delivery, so a courier cannot try all million codes.
-- proof_failed_at is when the latest wrong code came (unix microseconds), NULL if none.
ALTER TABLE deliveries ADD COLUMN proof_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN proof_failed_at BIGINT;
