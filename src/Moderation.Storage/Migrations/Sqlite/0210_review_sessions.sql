-- Issue 12, findings 1 and 2: server-side sessions, as on PostgreSQL (0210). Only the token's SHA-256 is stored.
CREATE TABLE review_sessions (
    session_id    TEXT PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    user_name     TEXT NOT NULL,
    roles         TEXT NOT NULL,
    auth_method   TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    client_ip     TEXT NULL,
    user_agent    TEXT NULL,
    revoked_at    TEXT NULL,
    revoked_by    TEXT NULL,
    revoke_reason TEXT NULL
);
CREATE INDEX review_sessions_live ON review_sessions (user_name, created_at) WHERE revoked_at IS NULL;
CREATE INDEX review_sessions_expires ON review_sessions (expires_at);
