-- The account's request budget fails safe (see store/RequestSlots).
-- * A reservation waits at most half a second for the budget's row: a transaction holding it (a stuck process, an
--   operator's session) made every request of every process wait until it ended. The statement then fails and the
--   process paces itself alone, at a fraction of the pace.
-- * No slot is further than p_longest (a minute) ahead: a pause persisted from a proxy's Retry-After of an hour held
--   every process back for that hour, across restarts.
-- * holders: which processes took slots of the account, with the epoch second each last did (rewritten at most every
--   10 seconds per process, entries older than 10 minutes dropped), so a process that loses the database knows what
--   share of the pace is its own.
ALTER TABLE amocrm_request_budget ADD COLUMN IF NOT EXISTS holders jsonb NOT NULL DEFAULT '{}';

CREATE OR REPLACE FUNCTION amocrm_request_slot(p_account text, p_interval double precision, p_holder text,
                                               p_longest double precision)
    RETURNS TABLE (wait_seconds double precision, shared boolean, processes integer)
    LANGUAGE plpgsql
    SET lock_timeout = '500ms'
AS $$
DECLARE
    taken amocrm_request_budget;
    recently double precision := extract(epoch FROM clock_timestamp()) - 600;
BEGIN
    INSERT INTO amocrm_request_budget AS budget (account_url, next_slot, holder, holders)
    VALUES (p_account, clock_timestamp() + make_interval(secs => p_interval), p_holder,
            jsonb_build_object(p_holder, extract(epoch FROM clock_timestamp())))
    ON CONFLICT (account_url) DO UPDATE
        SET next_slot = greatest(least(budget.next_slot, clock_timestamp() + make_interval(secs => p_longest)),
                                 clock_timestamp()) + make_interval(secs => p_interval),
            holder = p_holder,
            -- another holder taking a slot marks the budget shared for the next two seconds of slots
            shared_until = CASE WHEN budget.holder IS DISTINCT FROM p_holder
                THEN greatest(least(budget.next_slot, clock_timestamp() + make_interval(secs => p_longest)),
                              clock_timestamp()) + make_interval(secs => p_interval + 2)
                ELSE budget.shared_until END,
            holders = CASE WHEN coalesce((budget.holders ->> p_holder)::double precision, 0)
                                < extract(epoch FROM clock_timestamp()) - 10
                THEN (SELECT coalesce(jsonb_object_agg(seen.key, seen.value), '{}'::jsonb)
                      FROM jsonb_each(budget.holders) AS seen
                      WHERE seen.value::text::double precision > recently)
                     || jsonb_build_object(p_holder, extract(epoch FROM clock_timestamp()))
                ELSE budget.holders END
    RETURNING * INTO taken;
    RETURN QUERY SELECT greatest(0, extract(epoch FROM taken.next_slot - clock_timestamp()) - p_interval)::double precision,
                        coalesce(taken.shared_until > clock_timestamp(), false),
                        (SELECT count(*)::integer FROM jsonb_each(taken.holders) AS seen
                         WHERE seen.value::text::double precision > recently);
END
$$;

CREATE OR REPLACE FUNCTION amocrm_request_pause(p_account text, p_pause double precision, p_longest double precision)
    RETURNS void
    LANGUAGE plpgsql
    SET lock_timeout = '500ms'
AS $$
BEGIN
    INSERT INTO amocrm_request_budget AS budget (account_url, next_slot)
    VALUES (p_account, clock_timestamp() + make_interval(secs => least(p_pause, p_longest)))
    ON CONFLICT (account_url) DO UPDATE
        SET next_slot = greatest(least(budget.next_slot, clock_timestamp() + make_interval(secs => p_longest)),
                                 clock_timestamp() + make_interval(secs => least(p_pause, p_longest)));
END
$$;
