-- Issue 12, findings 1 and 2: server-side sessions for the review page. The cookie carries a random token; this
-- table holds only its SHA-256, so a copy of the table opens no session. Every request checks its row: logout, an
-- admin's revocation, the idle timeout, the absolute lifetime (expires_at) and a change of the user's configured
-- roles or credential (fingerprint) each end it.
CREATE TABLE review_sessions (
    session_id    uuid        PRIMARY KEY,
    token_sha256  text        NOT NULL UNIQUE,
    user_name     text        NOT NULL,
    roles         text[]      NOT NULL,
    auth_method   text        NOT NULL,
    fingerprint   text        NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    client_ip     inet        NULL,
    user_agent    text        NULL,
    revoked_at    timestamptz NULL,
    revoked_by    text        NULL,
    revoke_reason text        NULL
);
-- The admins' list (live sessions, by user) and the purge of ended ones.
CREATE INDEX review_sessions_live ON review_sessions (user_name, created_at) WHERE revoked_at IS NULL;
CREATE INDEX review_sessions_expires ON review_sessions (expires_at);
