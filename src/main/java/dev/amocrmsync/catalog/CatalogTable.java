package dev.amocrmsync.catalog;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A table that holds a catalog amoCRM lists whole (pipelines, statuses, loss reasons, tags): a reading of the complete
 * catalog replaces it, writing only rows that differ and flagging, never deleting, the rows it no longer lists, so old
 * deals that name them still resolve. With a {@code scope} column, a reading replaces only its scope's rows (the tags
 * of leads leave the tags of contacts alone).
 *
 * @param table the table
 * @param keys the columns that key a row, as {@code name type}
 * @param values the other columns, as {@code name type}
 * @param scope the key column whose value a reading shares, or null
 */
record CatalogTable(String table, List<String> keys, List<String> values, String scope) {

    private static String name(String column) {
        return column.split(" ")[0];
    }

    String replace() {
        List<String> keyNames = keys.stream().map(CatalogTable::name).toList();
        List<String> valueNames = values.stream().map(CatalogTable::name).toList();
        String all = Stream.concat(keyNames.stream(), valueNames.stream()).collect(Collectors.joining(", "));
        String record = Stream.concat(keys.stream(), values.stream()).collect(Collectors.joining(", "));
        String set = valueNames.stream().map(n -> n + " = EXCLUDED." + n).collect(Collectors.joining(", "));
        String differs = "(" + valueNames.stream().map(n -> "t." + n).collect(Collectors.joining(", "))
                + ", t.is_deleted) IS DISTINCT FROM ("
                + valueNames.stream().map(n -> "EXCLUDED." + n).collect(Collectors.joining(", ")) + ", false)";
        String key = String.join(", ", keyNames);
        String inScope = scope == null ? "" : " AND " + scope + " = :scope";
        return """
                WITH incoming AS (
                    SELECT * FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS x(%2$s)
                ), written AS (
                    INSERT INTO %1$s AS t (%3$s, is_deleted, synced_at)
                    SELECT %3$s, false, now() FROM incoming
                    ON CONFLICT (%4$s) DO UPDATE SET %5$s, is_deleted = false, synced_at = now()
                    WHERE %6$s
                    RETURNING 1
                ), gone AS (
                    UPDATE %1$s SET is_deleted = true, synced_at = now()
                    WHERE NOT is_deleted%7$s AND (%4$s) NOT IN (SELECT %4$s FROM incoming)
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM gone)
                """.formatted(table, record, all, key, set, differs, inScope);
    }

    /** Makes the table (or the scope's rows) equal to this complete catalog; returns how many rows changed. */
    Uni<Long> replace(ObjectMapper json, List<Map<String, Object>> rows, String scopeValue) {
        return Panache.getSession().chain(session -> {
            var query = session.<Number> createNativeQuery(replace()).setParameter("rows", JsonParameter.of(json, rows));
            if (scope != null) {
                query.setParameter("scope", scopeValue);
            }
            return query.getSingleResult();
        }).map(Number::longValue);
    }
}
