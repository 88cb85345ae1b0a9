-- The account's work and history (issue 18): tasks, notes (calls included) and how deals move between stages. Mirrored
-- like the deals: one row per amoCRM item, newest version wins, never removed, flagged when amoCRM deletes it. The
-- engine's own columns: updated_at (amoCRM's), is_deleted/deleted_at, content_hash (an unchanged re-read writes
-- nothing), synced_at (when this database last changed the row).

CREATE TABLE amocrm_tasks (
    amocrm_task_id      bigint      NOT NULL UNIQUE,
    -- what the task is about: 'leads', 'contacts', 'companies' (or 'customers'), with its id; both null for none
    entity_type         text,
    entity_id           bigint,
    -- 1 follow-up, 2 meeting, larger ids the account's own types
    task_type_id        bigint,
    text                text,
    is_completed        boolean,
    complete_till       timestamptz,
    result_text         text,
    responsible_user_id bigint,
    group_id            bigint,
    created_by          bigint,
    updated_by          bigint,
    duration            bigint,
    created_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    -- the task as amoCRM sent it
    raw                 jsonb,
    is_deleted          boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    content_hash        text,
    synced_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX amocrm_tasks_updated_at_idx ON amocrm_tasks (updated_at);
CREATE INDEX amocrm_tasks_entity_idx ON amocrm_tasks (entity_type, entity_id);
CREATE INDEX amocrm_tasks_responsible_idx ON amocrm_tasks (responsible_user_id, complete_till);

-- Notes of deals ('leads'), contacts and companies, every type; amoCRM does not say note ids are unique across entity
-- types, so a note is keyed by both. params as amoCRM sent them (a call's duration, phone, result, recording...).
CREATE TABLE amocrm_notes (
    entity_type         text        NOT NULL,
    amocrm_note_id      bigint      NOT NULL,
    entity_id           bigint,
    note_type           text,
    params              jsonb,
    responsible_user_id bigint,
    group_id            bigint,
    created_by          bigint,
    updated_by          bigint,
    is_pinned           boolean,
    created_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    is_deleted          boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    content_hash        text,
    synced_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (entity_type, amocrm_note_id)
);
CREATE INDEX amocrm_notes_updated_at_idx ON amocrm_notes (entity_type, updated_at);
CREATE INDEX amocrm_notes_entity_idx ON amocrm_notes (entity_type, entity_id);
CREATE INDEX amocrm_notes_type_idx ON amocrm_notes (note_type, created_at);

-- Every move of a deal between stages (events of type lead_status_changed). Stages are labelled by pipeline and
-- status: 142 (won) and 143 (lost) exist in every pipeline. amocrm_deal_id is text, as in amocrm_deals.
CREATE TABLE amocrm_deal_status_history (
    amocrm_event_id    text        NOT NULL UNIQUE,
    amocrm_deal_id     text        NOT NULL,
    pipeline_id_before bigint,
    status_id_before   bigint,
    pipeline_id_after  bigint,
    status_id_after    bigint,
    changed_at         timestamptz NOT NULL,
    -- the user who moved it; 0 for a robot or the API
    changed_by         bigint,
    -- the engine's: an event never changes, so updated_at is changed_at
    updated_at         timestamptz NOT NULL,
    is_deleted         boolean     NOT NULL DEFAULT false,
    deleted_at         timestamptz,
    content_hash       text,
    synced_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX amocrm_deal_status_history_deal_idx ON amocrm_deal_status_history (amocrm_deal_id, changed_at);
CREATE INDEX amocrm_deal_status_history_changed_at_idx ON amocrm_deal_status_history (changed_at);
