-- One row per amoCRM lead. Rows are never physically deleted: deletions in amoCRM set is_deleted / deleted_at.
-- IF NOT EXISTS because a database filled by the original Node.js script already has this table (adopted in V2).
CREATE TABLE IF NOT EXISTS amocrm_deals (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    amocrm_deal_id      text        NOT NULL UNIQUE,
    name                text,
    price               numeric,
    status_id           bigint,
    status_label        text,
    pipeline_id         bigint,
    pipeline_name       text,
    responsible_user_id bigint,
    loss_reason_id      bigint,
    created_by          bigint,
    updated_by          bigint,
    created_at          timestamptz,
    updated_at          timestamptz,
    closed_at           timestamptz,
    closest_task_at     timestamptz,
    is_deleted          boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    -- kept for readers of the original table: {field_name: first value}; metadata.custom_fields_values is the exact copy
    custom_fields       jsonb,
    metadata            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    notes_count         integer,
    -- md5 of the lead as last written: a re-read of an unchanged lead (the run overlap) writes nothing
    content_hash        text,
    synced_at           timestamptz
);
