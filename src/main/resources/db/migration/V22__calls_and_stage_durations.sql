-- Views computed in SQL over the mirrored notes and status history (issue 18); examples of use in catalogs.md.

-- One row per call: the call notes (call_in, call_out) of deals and contacts (and companies), their params read into
-- columns. A missed call has duration 0 and usually no recording. call_status, as telephony integrations set it:
-- 1 left a message, 2 call back later, 3 not available, 4 the conversation took place, 5 wrong number,
-- 6 could not get through, 7 busy.
CREATE VIEW amocrm_calls AS
SELECT n.entity_type,
       n.entity_id,
       n.amocrm_note_id,
       CASE n.note_type WHEN 'call_in' THEN 'incoming' ELSE 'outgoing' END AS direction,
       CASE WHEN btrim(n.params ->> 'duration') ~ '^[0-9]{1,9}$'
            THEN CAST(btrim(n.params ->> 'duration') AS integer) END AS duration_seconds,
       n.params ->> 'phone' AS phone,
       n.params ->> 'call_result' AS result,
       CASE WHEN btrim(n.params ->> 'call_status') ~ '^[0-9]{1,9}$'
            THEN CAST(btrim(n.params ->> 'call_status') AS integer) END AS call_status,
       n.params ->> 'source' AS source,
       n.params ->> 'link' AS recording_url,
       n.params ->> 'uniq' AS call_id,
       CASE WHEN n.entity_type = 'leads' THEN CAST(n.entity_id AS text) END AS amocrm_deal_id,
       CASE WHEN n.entity_type = 'contacts' THEN n.entity_id END AS amocrm_contact_id,
       CASE WHEN n.entity_type = 'companies' THEN n.entity_id END AS amocrm_company_id,
       n.responsible_user_id,
       n.created_by,
       n.created_at AS called_at,
       n.is_deleted
FROM amocrm_notes n
WHERE n.note_type IN ('call_in', 'call_out');

-- One row per deal and stage visit, from the status history: entered, left (null while it is still there) and the
-- seconds in between. The first visit of a deal created within the history the mirror holds starts at its creation
-- (the stage it left at its first recorded move); a deal older than that history starts at its first recorded move.
CREATE VIEW amocrm_deal_stage_durations AS
WITH moves AS (
    SELECT h.amocrm_deal_id, h.pipeline_id_after AS pipeline_id, h.status_id_after AS status_id,
           h.changed_at AS entered_at, h.amocrm_event_id,
           row_number() OVER (PARTITION BY h.amocrm_deal_id ORDER BY h.changed_at, h.amocrm_event_id) AS n,
           h.pipeline_id_before, h.status_id_before
    FROM amocrm_deal_status_history h
    WHERE NOT h.is_deleted
), visits AS (
    SELECT m.amocrm_deal_id, m.pipeline_id, m.status_id, m.entered_at, m.amocrm_event_id AS entered_by_event
    FROM moves m
    UNION ALL
    SELECT m.amocrm_deal_id, m.pipeline_id_before, m.status_id_before, d.created_at, NULL
    FROM moves m
    JOIN amocrm_deals d ON d.amocrm_deal_id = m.amocrm_deal_id
    WHERE m.n = 1 AND d.created_at IS NOT NULL AND d.created_at <= m.entered_at
      AND d.created_at >= (SELECT min(changed_at) FROM amocrm_deal_status_history)
)
SELECT v.amocrm_deal_id, v.pipeline_id, v.status_id, v.entered_at,
       lead(v.entered_at) OVER w AS left_at,
       CAST(extract(epoch FROM lead(v.entered_at) OVER w - v.entered_at) AS bigint) AS seconds_in_stage,
       v.entered_by_event
FROM visits v
WINDOW w AS (PARTITION BY v.amocrm_deal_id ORDER BY v.entered_at, v.entered_by_event NULLS FIRST);
