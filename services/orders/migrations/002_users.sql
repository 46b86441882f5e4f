-- Accounts. email keeps the address as the user typed it; email_key is its lower-case
-- form, which makes the address unique case-insensitively in both dialects.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,     -- libsodium Argon2id string, parameters included
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('CUSTOMER', 'STORE', 'COURIER', 'ADMIN')),
  created_at BIGINT NOT NULL,      -- microseconds since the Unix epoch, UTC
  updated_at BIGINT NOT NULL
);

-- Opaque refresh tokens, stored as SHA-256 digests. Every login starts a family; each
-- refresh marks the presented token used and issues the next one in the same family, so
-- a used token presented again reveals a copy and revokes the whole family.
CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE, -- hex SHA-256 of the token
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,                  -- set when rotated
  revoked_at BIGINT                -- set on logout or reuse
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Failed logins per key ("email:<address>" or "address:<ip>") in a fixed window that
-- starts with the first failure.
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  failures INTEGER NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);
