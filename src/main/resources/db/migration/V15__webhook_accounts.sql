-- Each webhook event keeps the account that delivered it (account[id], account[subdomain]): an applier claims only
-- the events of the account it reaches, so a serve pointed at another account's schema never writes that account's
-- ids into this one's tables, and never marks its events processed.
ALTER TABLE amocrm_webhook_events ADD COLUMN IF NOT EXISTS account_id bigint;
ALTER TABLE amocrm_webhook_events ADD COLUMN IF NOT EXISTS account_subdomain text;
-- amoCRM's clock when the event arrived (unix seconds), as the receiving process reads it from amoCRM's Date headers;
-- null when it had not heard from amoCRM yet. A deletion carries no time of its own and is stamped with this: the
-- database's clock is not amoCRM's, and a row whose updated_at (amoCRM's clock) looked later kept a real deletion out.
ALTER TABLE amocrm_webhook_events ADD COLUMN IF NOT EXISTS amocrm_received_at bigint;
-- events still waiting: their account is in the payload as it was delivered
UPDATE amocrm_webhook_events
SET account_id = CASE WHEN payload #>> '{account,id}' ~ '^[0-9]{1,18}$' THEN CAST(payload #>> '{account,id}' AS bigint) END,
    account_subdomain = payload #>> '{account,subdomain}'
WHERE processed_at IS NULL AND account_id IS NULL AND account_subdomain IS NULL;
