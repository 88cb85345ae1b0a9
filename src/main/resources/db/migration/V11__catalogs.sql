-- The account's catalogs (issue 13): who the users are and what the custom fields mean. Rows are never deleted: a user
-- or field gone from amoCRM's catalog is flagged, so old deals that name it still resolve.
CREATE TABLE IF NOT EXISTS amocrm_users (
    amocrm_user_id bigint      NOT NULL UNIQUE,
    name           text,
    email          text,
    lang           text,
    is_active      boolean     NOT NULL DEFAULT true,
    is_admin       boolean     NOT NULL DEFAULT false,
    rights         jsonb,
    is_deleted     boolean     NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS amocrm_custom_fields (
    entity_type text        NOT NULL,
    field_id    bigint      NOT NULL,
    name        text,
    type        text,
    code        text,
    sort        integer,
    is_api_only boolean,
    enums       jsonb,
    is_deleted  boolean     NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity_type, field_id)
);

-- One row per catalog (users, leads' fields) and per derived view: the hash of what was last read or built, so an
-- unchanged catalog rewrites nothing, and when it was last read, so most runs do not read it at all.
CREATE TABLE IF NOT EXISTS amocrm_catalogs (
    catalog      text PRIMARY KEY,
    content_hash text        NOT NULL,
    checked_at   timestamptz NOT NULL DEFAULT now(),
    changed_at   timestamptz NOT NULL DEFAULT now()
);
