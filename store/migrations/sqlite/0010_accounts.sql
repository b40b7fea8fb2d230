-- Accounts for people (agency officers, the coordinating department): sign-in by e-mail and
-- password on the portal. Passwords are kept only as Argon2id hashes (PHC strings); after
-- repeated failures an account is locked for a while. Sessions are kept only as the SHA-256
-- of the cookie's secret, each with its CSRF token.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    agency TEXT,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    last_login_at BIGINT
);
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
