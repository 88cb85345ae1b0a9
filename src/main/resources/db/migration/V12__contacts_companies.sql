-- Contacts and companies, mirrored like the deals: one row per amoCRM id, never deleted, flagged when amoCRM deletes.

CREATE TABLE amocrm_contacts (
    amocrm_contact_id   bigint      PRIMARY KEY,
    name                text,
    first_name          text,
    last_name           text,
    responsible_user_id bigint,
    group_id            bigint,
    created_by          bigint,
    updated_by          bigint,
    created_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    closest_task_at     timestamptz,
    -- the PHONE and EMAIL fields' values, normalised (digits with a leading +, lower-case e-mails) for joins
    phones              text[]      NOT NULL DEFAULT '{}',
    emails              text[]      NOT NULL DEFAULT '{}',
    -- custom_fields_values as amoCRM sent them (typed columns: view amocrm_contacts_fields)
    custom_fields       jsonb,
    -- everything else amoCRM sent that has no column: tags, the company's id, account_id
    metadata            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    is_deleted          boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    content_hash        text,
    synced_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX amocrm_contacts_updated_at_idx ON amocrm_contacts (updated_at);
CREATE INDEX amocrm_contacts_phones_idx ON amocrm_contacts USING gin (phones);
CREATE INDEX amocrm_contacts_emails_idx ON amocrm_contacts USING gin (emails);

CREATE TABLE amocrm_companies (
    amocrm_company_id   bigint      PRIMARY KEY,
    name                text,
    responsible_user_id bigint,
    group_id            bigint,
    created_by          bigint,
    updated_by          bigint,
    created_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    closest_task_at     timestamptz,
    phones              text[]      NOT NULL DEFAULT '{}',
    emails              text[]      NOT NULL DEFAULT '{}',
    custom_fields       jsonb,
    metadata            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    is_deleted          boolean     NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    content_hash        text,
    synced_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX amocrm_companies_updated_at_idx ON amocrm_companies (updated_at);

-- Links, as the owning side lists them: a deal's contacts and company (replaced whenever the deal is written), a
-- contact's company (whenever the contact is written). amoCRM hides a deleted contact or company from its links
-- without touching the owner, so a link stays here while its contact is flagged deleted: join on NOT is_deleted.
-- amocrm_deal_id is text, as in amocrm_deals.
CREATE TABLE amocrm_deal_contacts (
    amocrm_deal_id    text    NOT NULL,
    amocrm_contact_id bigint  NOT NULL,
    is_main           boolean NOT NULL DEFAULT false,
    PRIMARY KEY (amocrm_deal_id, amocrm_contact_id)
);
CREATE INDEX amocrm_deal_contacts_contact_idx ON amocrm_deal_contacts (amocrm_contact_id);

CREATE TABLE amocrm_deal_companies (
    amocrm_deal_id    text   NOT NULL,
    amocrm_company_id bigint NOT NULL,
    PRIMARY KEY (amocrm_deal_id, amocrm_company_id)
);
CREATE INDEX amocrm_deal_companies_company_idx ON amocrm_deal_companies (amocrm_company_id);

CREATE TABLE amocrm_contact_companies (
    amocrm_contact_id bigint NOT NULL,
    amocrm_company_id bigint NOT NULL,
    PRIMARY KEY (amocrm_contact_id, amocrm_company_id)
);
CREATE INDEX amocrm_contact_companies_company_idx ON amocrm_contact_companies (amocrm_company_id);

-- The deals already mirrored carry their links in metadata: the link tables start complete.
INSERT INTO amocrm_deal_contacts (amocrm_deal_id, amocrm_contact_id, is_main)
SELECT d.amocrm_deal_id, CAST(c ->> 'id' AS bigint), COALESCE(CAST(c ->> 'is_main' AS boolean), false)
FROM amocrm_deals d, jsonb_array_elements(COALESCE(d.metadata -> 'contacts', '[]'::jsonb)) AS c
WHERE jsonb_typeof(d.metadata -> 'contacts') = 'array' AND c ->> 'id' ~ '^[0-9]{1,18}$'
ON CONFLICT DO NOTHING;
INSERT INTO amocrm_deal_companies (amocrm_deal_id, amocrm_company_id)
SELECT d.amocrm_deal_id, CAST(c AS bigint)
FROM amocrm_deals d, jsonb_array_elements_text(COALESCE(d.metadata -> 'company_ids', '[]'::jsonb)) AS c
WHERE jsonb_typeof(d.metadata -> 'company_ids') = 'array' AND c ~ '^[0-9]{1,18}$'
ON CONFLICT DO NOTHING;

-- The sync's memory, per entity: each has its cursor, event cursor and resumable plan.
ALTER TABLE sync_state ADD COLUMN entity text NOT NULL DEFAULT 'leads';
ALTER TABLE sync_state DROP CONSTRAINT sync_state_pkey;
ALTER TABLE sync_state DROP COLUMN id;
ALTER TABLE sync_state ADD PRIMARY KEY (entity);
ALTER TABLE sync_state ALTER COLUMN entity DROP DEFAULT;

ALTER TABLE sync_windows ADD COLUMN entity text NOT NULL DEFAULT 'leads';
ALTER TABLE sync_windows DROP CONSTRAINT sync_windows_pkey;
ALTER TABLE sync_windows ADD PRIMARY KEY (entity, window_no);
ALTER TABLE sync_windows ALTER COLUMN entity DROP DEFAULT;

-- What was set aside: the entity, and its id (a contact's for entity 'contacts'; the column keeps its old name).
ALTER TABLE sync_quarantine ADD COLUMN entity text NOT NULL DEFAULT 'leads';

-- Each run's counters per entity; sync_runs keeps the totals.
CREATE TABLE sync_run_entities (
    run_id      bigint  NOT NULL REFERENCES sync_runs (id),
    entity      text    NOT NULL,
    pages       integer NOT NULL DEFAULT 0,
    read        integer NOT NULL DEFAULT 0,
    inserted    integer NOT NULL DEFAULT 0,
    updated     integer NOT NULL DEFAULT 0,
    deleted     integer NOT NULL DEFAULT 0,
    restored    integer NOT NULL DEFAULT 0,
    quarantined integer NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, entity)
);
