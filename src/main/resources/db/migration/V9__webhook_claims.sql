-- Webhook events are claimed before they are applied, so two `serve` replicas never apply the same event: a claim is
-- a lease (claimed_by, claimed_at); a crashed claimer's events are taken over once the lease runs out.
ALTER TABLE amocrm_webhook_events ADD COLUMN IF NOT EXISTS claimed_by text;
ALTER TABLE amocrm_webhook_events ADD COLUMN IF NOT EXISTS claimed_at timestamptz;
-- amoCRM's time of the event when the delivery says it (last_modified), unix seconds; null for deletions and restorations
ALTER TABLE amocrm_webhook_events ADD COLUMN IF NOT EXISTS occurred_at bigint;
-- the same hash may come back legitimately: delete, restore, delete again carry identical bodies
ALTER TABLE amocrm_webhook_events DROP CONSTRAINT IF EXISTS amocrm_webhook_events_dedupe_hash_key;
CREATE INDEX IF NOT EXISTS amocrm_webhook_events_dedupe_idx ON amocrm_webhook_events (dedupe_hash);
CREATE INDEX IF NOT EXISTS amocrm_webhook_events_entity_idx ON amocrm_webhook_events (entity_id, id);
