package dev.amocrmsync.store;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of a mirror table, written once for every entity: the page upsert (newest version wins, an unchanged
 * row is not written, a deletion newer than the version held survives it) and the deletion flags. Tables differ only
 * in their name, id column and plain columns.
 *
 * @param table the table
 * @param id its amoCRM id column (bigint)
 * @param columns plain columns as {@code name type} in the JSON row (times as bigint unix seconds, see {@code times})
 * @param times columns that arrive as unix seconds and are stored as timestamptz (besides updated_at)
 */
record EntityTableSql(String table, String id, List<String> columns, List<String> times) {

    String upsert() {
        List<String> names = columns.stream().map(column -> column.split(" ")[0]).toList();
        String record = String.join(", ", columns) + ", " + times.stream().map(t -> t + " bigint")
                .collect(Collectors.joining(", ")) + ", updated_at bigint, content_hash text";
        String insert = String.join(", ", names) + ", " + String.join(", ", times) + ", updated_at, content_hash";
        String select = String.join(", ", names) + ", " + times.stream().map(t -> "to_timestamp(" + t + ")")
                .collect(Collectors.joining(", ")) + ", to_timestamp(updated_at), content_hash";
        String set = names.stream().filter(name -> !name.equals(id))
                .map(name -> name + " = EXCLUDED." + name).collect(Collectors.joining(", "))
                + ", " + times.stream().map(t -> t + " = EXCLUDED." + t).collect(Collectors.joining(", "));
        return """
                WITH incoming AS (
                    SELECT DISTINCT ON (r.%2$s) r.*, EXISTS (SELECT 1 FROM %1$s x WHERE x.%2$s = r.%2$s) AS existed
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(%3$s)
                    ORDER BY r.%2$s, r.updated_at DESC
                ), written AS (
                    INSERT INTO %1$s AS d (%4$s, synced_at)
                    SELECT %5$s, now() FROM incoming
                    ON CONFLICT (%2$s) DO UPDATE SET %6$s, updated_at = EXCLUDED.updated_at,
                        content_hash = EXCLUDED.content_hash, synced_at = now(),
                        is_deleted = COALESCE(d.is_deleted AND d.deleted_at > EXCLUDED.updated_at, false),
                        deleted_at = CASE WHEN d.is_deleted AND d.deleted_at > EXCLUDED.updated_at THEN d.deleted_at END
                    WHERE d.updated_at < EXCLUDED.updated_at
                       OR (d.updated_at = EXCLUDED.updated_at
                           AND (d.content_hash IS DISTINCT FROM EXCLUDED.content_hash
                                OR (d.is_deleted AND NOT COALESCE(d.deleted_at > EXCLUDED.updated_at, false))))
                    RETURNING d.%2$s
                )
                SELECT CAST(w.%2$s AS text), i.existed FROM written w JOIN incoming i USING (%2$s)
                """.formatted(table, id, record, insert, select, set);
    }

    /** A deletion older than the row's version is stale: the item was restored and edited since. */
    String markDeleted() {
        return """
                UPDATE %1$s AS d SET is_deleted = true, deleted_at = to_timestamp(x.at), synced_at = now()
                FROM (SELECT CAST(key AS bigint) AS id, CAST(value AS bigint) AS at
                      FROM jsonb_each_text(CAST(CAST(:changes AS text) AS jsonb))) AS x
                WHERE d.%2$s = x.id AND NOT d.is_deleted AND d.updated_at <= to_timestamp(x.at)
                """.formatted(table, id);
    }

    String markRestored() {
        return """
                UPDATE %1$s AS d SET is_deleted = false, deleted_at = NULL, synced_at = now()
                FROM (SELECT CAST(key AS bigint) AS id, CAST(value AS bigint) AS at
                      FROM jsonb_each_text(CAST(CAST(:changes AS text) AS jsonb))) AS x
                WHERE d.%2$s = x.id AND d.is_deleted AND d.deleted_at <= to_timestamp(x.at)
                """.formatted(table, id);
    }

    String markAlive() {
        return """
                UPDATE %1$s SET is_deleted = false, deleted_at = NULL, synced_at = now()
                WHERE is_deleted AND %2$s IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))
                                                          AS bigint))
                """.formatted(table, id);
    }

    String existing() {
        return """
                SELECT CAST(%2$s AS text) FROM %1$s
                WHERE %2$s IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint))
                """.formatted(table, id);
    }

    String held() {
        return held(table);
    }

    /** The newest {@code updated_at} as unix seconds, and whether there is any row: {@link MirrorTable.Held}. */
    static String held(String table) {
        return """
                SELECT (SELECT CAST(extract(epoch FROM max(updated_at)) AS bigint) FROM %1$s),
                       EXISTS (SELECT 1 FROM %1$s)
                """.formatted(table);
    }
}
