-- The OAuth token pair of the integration. One row. Tokens are encrypted (AES-GCM, key derived from the client
-- secret), so a database dump alone does not give access to the account. Refreshes lock this row: a refresh token
-- is single-use, and two processes must never spend it both.
CREATE TABLE oauth_tokens (
    id            smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    account_url   text        NOT NULL,
    client_id     text        NOT NULL,
    access_token  text        NOT NULL,
    refresh_token text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT now()
);
