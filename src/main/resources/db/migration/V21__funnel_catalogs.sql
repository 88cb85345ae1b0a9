-- The catalogs that name what deals go through (issue 18), read whole when due. Rows are never removed: one amoCRM no
-- longer lists is flagged is_deleted, so old deals and history that name it still resolve. synced_at: when this
-- database last changed the row.
CREATE TABLE amocrm_pipelines (
    pipeline_id    bigint      PRIMARY KEY,
    name           text,
    sort           integer,
    is_main        boolean,
    is_unsorted_on boolean,
    is_archive     boolean,
    is_deleted     boolean     NOT NULL DEFAULT false,
    synced_at      timestamptz NOT NULL DEFAULT now()
);

-- A stage is a pipeline and a status: 142 (won, is_won) and 143 (lost, is_lost) exist in every pipeline. type 1 is
-- the unsorted stage. sort orders the stages of a pipeline, which the funnel reports follow.
CREATE TABLE amocrm_statuses (
    pipeline_id bigint      NOT NULL,
    status_id   bigint      NOT NULL,
    name        text,
    sort        integer,
    type        integer,
    color       text,
    is_editable boolean,
    is_won      boolean     NOT NULL DEFAULT false,
    is_lost     boolean     NOT NULL DEFAULT false,
    is_deleted  boolean     NOT NULL DEFAULT false,
    synced_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pipeline_id, status_id)
);

-- Why lost deals were lost (amocrm_deals.loss_reason_id); empty on accounts older than the loss-reasons endpoint.
CREATE TABLE amocrm_loss_reasons (
    loss_reason_id bigint      PRIMARY KEY,
    name           text,
    sort           integer,
    created_at     timestamptz,
    updated_at     timestamptz,
    is_deleted     boolean     NOT NULL DEFAULT false,
    synced_at      timestamptz NOT NULL DEFAULT now()
);

-- The tags of each entity type ('leads', 'contacts', 'companies'); an item's own tags are in its metadata.tags.
CREATE TABLE amocrm_tags (
    entity_type text        NOT NULL,
    tag_id      bigint      NOT NULL,
    name        text,
    color       text,
    is_deleted  boolean     NOT NULL DEFAULT false,
    synced_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity_type, tag_id)
);
