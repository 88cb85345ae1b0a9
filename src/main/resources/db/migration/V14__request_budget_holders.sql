-- Who took the account's latest slot, and until when slots have been shared by more than one process: a process alone
-- on the account keeps a slot its timer fired late for (its own eight-apart rule guards its requests), one sharing it
-- gives a missed slot up, since another process's request may sit next to it. See store/RequestSlots.
ALTER TABLE amocrm_request_budget ADD COLUMN holder text;
ALTER TABLE amocrm_request_budget ADD COLUMN shared_until timestamptz;
