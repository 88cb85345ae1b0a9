-- A table created by the original script lacks most columns and may use other types (ids as text, timestamps
-- without time zone). Bring it to the V1 shape without losing a row. On a fresh database every statement is a no-op.
DO $$
DECLARE
    wanted record;
BEGIN
    -- only what is missing, so a fresh database logs nothing
    FOR wanted IN
        SELECT * FROM (VALUES ('name', 'text'), ('price', 'numeric'), ('status_id', 'bigint'), ('status_label', 'text'),
                              ('pipeline_id', 'bigint'), ('pipeline_name', 'text'), ('responsible_user_id', 'bigint'),
                              ('loss_reason_id', 'bigint'), ('created_by', 'bigint'), ('updated_by', 'bigint'),
                              ('created_at', 'timestamptz'), ('updated_at', 'timestamptz'), ('closed_at', 'timestamptz'),
                              ('closest_task_at', 'timestamptz'), ('is_deleted', 'boolean NOT NULL DEFAULT false'),
                              ('deleted_at', 'timestamptz'), ('custom_fields', 'jsonb'),
                              ('metadata', 'jsonb NOT NULL DEFAULT ''{}''::jsonb'), ('notes_count', 'integer'),
                              ('content_hash', 'text'), ('synced_at', 'timestamptz')) AS c(column_name, definition)
        WHERE NOT EXISTS (SELECT 1 FROM information_schema.columns i
                          WHERE i.table_schema = current_schema() AND i.table_name = 'amocrm_deals'
                            AND i.column_name = c.column_name)
    LOOP
        EXECUTE format('ALTER TABLE amocrm_deals ADD COLUMN %I %s', wanted.column_name, wanted.definition);
    END LOOP;
END $$;

DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'amocrm_deals'
    LOOP
        IF col.column_name IN ('status_id', 'pipeline_id', 'responsible_user_id', 'loss_reason_id', 'created_by',
                               'updated_by') AND col.data_type <> 'bigint' THEN
            EXECUTE format('ALTER TABLE amocrm_deals ALTER COLUMN %I TYPE bigint USING NULLIF(btrim(%I::text), '''')::bigint',
                           col.column_name, col.column_name);
        ELSIF col.column_name IN ('created_at', 'updated_at', 'closed_at', 'closest_task_at', 'deleted_at')
              AND col.data_type = 'timestamp without time zone' THEN
            -- the original wrote UTC instants into these columns
            EXECUTE format('ALTER TABLE amocrm_deals ALTER COLUMN %I TYPE timestamptz USING %I AT TIME ZONE ''UTC''',
                           col.column_name, col.column_name);
        ELSIF col.column_name IN ('custom_fields', 'metadata') AND col.data_type = 'json' THEN
            EXECUTE format('ALTER TABLE amocrm_deals ALTER COLUMN %I TYPE jsonb USING %I::jsonb',
                           col.column_name, col.column_name);
        ELSIF col.column_name = 'amocrm_deal_id' AND col.data_type <> 'text' THEN
            ALTER TABLE amocrm_deals ALTER COLUMN amocrm_deal_id TYPE text USING amocrm_deal_id::text;
        END IF;
    END LOOP;
    IF NOT EXISTS (
        SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = 'amocrm_deals'::regclass AND i.indisunique AND i.indnatts = 1
          AND a.attname = 'amocrm_deal_id') THEN
        ALTER TABLE amocrm_deals ADD CONSTRAINT amocrm_deals_amocrm_deal_id_key UNIQUE (amocrm_deal_id);
    END IF;
END $$;

UPDATE amocrm_deals SET metadata = '{}'::jsonb WHERE metadata IS NULL;

-- what readers ask most: the latest deals, and the deal of a RentProg booking
CREATE INDEX IF NOT EXISTS amocrm_deals_updated_at_idx ON amocrm_deals (updated_at);
CREATE INDEX IF NOT EXISTS amocrm_deals_rentprog_booking_idx ON amocrm_deals ((metadata ->> 'rentprog_booking_id'));
