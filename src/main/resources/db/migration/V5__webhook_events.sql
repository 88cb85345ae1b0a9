-- amoCRM webhooks as received, one row per lead event, de-duplicated (amoCRM repeats deliveries it thinks failed).
-- A malformed delivery is kept too, with the reason, for an operator to look at.
CREATE TABLE amocrm_webhook_events (
    id           bigserial PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    -- add, update, status, responsible, delete, restore, note; 'malformed' for a body that could not be read
    event_type   text        NOT NULL,
    entity_type  text,
    entity_id    bigint,
    dedupe_hash  text        NOT NULL UNIQUE,
    payload      jsonb       NOT NULL,
    processed_at timestamptz,
    error        text
);
CREATE INDEX amocrm_webhook_events_pending_idx ON amocrm_webhook_events (id) WHERE processed_at IS NULL;
