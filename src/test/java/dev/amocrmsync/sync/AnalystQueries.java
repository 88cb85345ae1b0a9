package dev.amocrmsync.sync;

/**
 * The analysts' queries shown in catalogs.md, kept here character for character so the tests run what the
 * documentation shows.
 */
final class AnalystQueries {

    /**
     * Conversion from each stage to the next over a month: of the deals that entered a stage in the month, how many
     * later reached the stage after it in its pipeline (by the stages' sort order), and how many were lost.
     */
    static final String CONVERSION = """
            WITH stages AS (
                SELECT pipeline_id, status_id, name, sort,
                       lead(status_id) OVER (PARTITION BY pipeline_id ORDER BY sort, status_id) AS next_status_id
                FROM amocrm_statuses
                WHERE NOT is_deleted AND NOT is_won AND NOT is_lost
            ), entered AS (
                SELECT DISTINCT v.amocrm_deal_id, v.pipeline_id, v.status_id, v.entered_at
                FROM amocrm_deal_stage_durations v
                WHERE v.entered_at >= date_trunc('month', now()) - interval '1 month'
                  AND v.entered_at < date_trunc('month', now()) + interval '1 month'
            )
            SELECT s.pipeline_id, s.name AS stage, count(DISTINCT e.amocrm_deal_id) AS entered,
                   count(DISTINCT e.amocrm_deal_id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM amocrm_deal_status_history h
                       WHERE h.amocrm_deal_id = e.amocrm_deal_id AND h.pipeline_id_after = s.pipeline_id
                         AND h.status_id_after = s.next_status_id AND h.changed_at > e.entered_at)) AS reached_next,
                   count(DISTINCT e.amocrm_deal_id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM amocrm_deal_status_history h
                       WHERE h.amocrm_deal_id = e.amocrm_deal_id AND h.status_id_after = 143
                         AND h.changed_at > e.entered_at)) AS lost
            FROM stages s
            JOIN entered e ON e.pipeline_id = s.pipeline_id AND e.status_id = s.status_id
            WHERE s.next_status_id IS NOT NULL
            GROUP BY s.pipeline_id, s.name, s.sort
            ORDER BY s.pipeline_id, s.sort""";

    /** Calls per manager per day over the last 30 days, in the account's zone: how many, each way, and the talk. */
    static final String CALLS_PER_MANAGER_PER_DAY = """
            SELECT coalesce(u.name, 'user ' || c.responsible_user_id) AS manager,
                   CAST(c.called_at AT TIME ZONE 'Europe/Moscow' AS date) AS day,
                   count(*) AS calls,
                   count(*) FILTER (WHERE c.direction = 'outgoing') AS outgoing,
                   count(*) FILTER (WHERE c.duration_seconds = 0) AS missed,
                   sum(c.duration_seconds) AS talk_seconds
            FROM amocrm_calls c
            LEFT JOIN amocrm_users u ON u.amocrm_user_id = c.responsible_user_id
            WHERE NOT c.is_deleted AND c.called_at >= now() - interval '30 days'
            GROUP BY 1, 2
            ORDER BY 2, 1""";

    private AnalystQueries() {
    }
}
