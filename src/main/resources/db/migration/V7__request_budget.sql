-- One request budget per amoCRM account, shared by every process that talks to it (the CronJob's sync, serve's
-- webhook re-fetches and token keep-alive): the next free send slot, on the database's clock. See store/RequestSlots.
CREATE TABLE IF NOT EXISTS amocrm_request_budget (
    account_url text PRIMARY KEY,
    next_slot timestamptz NOT NULL
);
