-- Items set aside are read again by every run until they store (issue 19): a row is open while resolved_at is null.
-- An item set aside again updates its open row (reason, raw, attempts, retried_at) instead of adding one.
ALTER TABLE sync_quarantine ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 1;
ALTER TABLE sync_quarantine ADD COLUMN IF NOT EXISTS retried_at timestamptz;
ALTER TABLE sync_quarantine ADD COLUMN IF NOT EXISTS resolved_at timestamptz;
-- 'stored', or 'no longer listed by amoCRM' (deleted there)
ALTER TABLE sync_quarantine ADD COLUMN IF NOT EXISTS resolution text;
CREATE INDEX IF NOT EXISTS sync_quarantine_open_idx ON sync_quarantine (entity, amocrm_deal_id)
    WHERE resolved_at IS NULL;

-- A RentProg booking id longer than a b-tree entry holds (about 2,700 bytes) failed its lead's whole page on every run.
-- A hash index takes a value of any length whole and serves the equality lookups the index is for.
DROP INDEX IF EXISTS amocrm_deals_rentprog_booking_idx;
CREATE INDEX amocrm_deals_rentprog_booking_idx ON amocrm_deals USING hash ((metadata ->> 'rentprog_booking_id'));
