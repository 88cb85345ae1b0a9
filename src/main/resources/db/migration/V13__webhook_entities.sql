-- Webhook events of contacts and companies too. entity_type (there since V5, always 'lead' so far) says whose id
-- entity_id is: 'lead', 'contact' or 'company', as amoCRM's events API names them; a contact and a lead may share an
-- id, so de-duplication and claims look at both. Malformed deliveries keep it null.
UPDATE amocrm_webhook_events SET entity_type = 'lead' WHERE entity_type IS NULL AND event_type <> 'malformed';
CREATE INDEX IF NOT EXISTS amocrm_webhook_events_item_idx ON amocrm_webhook_events (entity_type, entity_id, id);
DROP INDEX IF EXISTS amocrm_webhook_events_entity_idx;
