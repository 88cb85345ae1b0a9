-- The sync's memory between runs. One row: what has been mirrored so far.
CREATE TABLE sync_state (
    id               smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    -- every lead updated before this instant is in amocrm_deals (the next run re-reads a short overlap before it)
    cursor_at        timestamptz,
    -- deletion/restoration events created before this instant are applied
    events_cursor_at timestamptz,
    -- the scan in progress, null between runs: its range is frozen when it starts and survives a crash
    plan_from        bigint,
    plan_to          bigint,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Slices of the scan in progress, each read in updated_at order from its own keyset cursor (unix seconds, inclusive).
-- A crash resumes every slice from its cursor; a part of the plan no row covers is scanned again from scratch.
CREATE TABLE sync_windows (
    window_no     integer PRIMARY KEY,
    window_from   bigint  NOT NULL,
    window_to     bigint  NOT NULL,
    cursor_second bigint  NOT NULL,
    -- ids already written whose updated_at is cursor_second
    cursor_ids    jsonb   NOT NULL DEFAULT '[]'::jsonb,
    done          boolean NOT NULL DEFAULT false
);

-- Every run, for operators: what it did, how it ended, and why.
CREATE TABLE sync_runs (
    id          bigserial PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    -- running, succeeded, quarantined, failed, interrupted, abandoned
    status      text        NOT NULL,
    kind        text        NOT NULL,
    access_mode text,
    range_from  timestamptz,
    range_to    timestamptz,
    pages       integer     NOT NULL DEFAULT 0,
    requests    integer     NOT NULL DEFAULT 0,
    leads_read  integer     NOT NULL DEFAULT 0,
    inserted    integer     NOT NULL DEFAULT 0,
    updated     integer     NOT NULL DEFAULT 0,
    deleted     integer     NOT NULL DEFAULT 0,
    restored    integer     NOT NULL DEFAULT 0,
    quarantined integer     NOT NULL DEFAULT 0,
    error       text,
    host        text,
    pid         bigint
);
CREATE INDEX sync_runs_started_at_idx ON sync_runs (started_at);

-- Leads that could not be mapped: kept as received with the reason, for an operator to look at.
CREATE TABLE sync_quarantine (
    id             bigserial PRIMARY KEY,
    run_id         bigint REFERENCES sync_runs (id),
    amocrm_deal_id text,
    reason         text        NOT NULL,
    raw            jsonb,
    received_at    timestamptz NOT NULL DEFAULT now()
);

-- Status and pipeline names, so a lead's status_label is known without asking amoCRM on every run.
CREATE TABLE amocrm_pipeline_statuses (
    pipeline_id   bigint NOT NULL,
    status_id     bigint NOT NULL,
    pipeline_name text,
    status_name   text,
    refreshed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pipeline_id, status_id)
);
