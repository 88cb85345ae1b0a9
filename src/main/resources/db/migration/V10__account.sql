-- Which amoCRM account this schema mirrors, recorded by the first run that reached amoCRM. A later run against another
-- account is refused instead of mixing two accounts' leads in one table (AMOCRM_DB_SCHEMA gives each its own schema).
CREATE TABLE IF NOT EXISTS sync_account (
    id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    account_url text        NOT NULL,
    account_id  bigint,
    subdomain   text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
