package dev.amocrmsync.catalog;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code amocrm_custom_fields}: each entity's custom-field catalog. Callers provide the transaction. */
@ApplicationScoped
public class CustomFieldStore {

    /** A field as its catalog lists it; {@code enums} is {@code null} for fields without options. */
    public record FieldRow(long id, String name, String type, String code, Integer sort, Boolean apiOnly,
            List<Map<String, Object>> enums) {
    }

    private static final String REPLACE = """
            WITH incoming AS (
                SELECT * FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                    AS x(field_id bigint, name text, type text, code text, sort integer, is_api_only boolean,
                         enums jsonb)
            ), written AS (
                INSERT INTO amocrm_custom_fields AS f (entity_type, field_id, name, type, code, sort, is_api_only,
                    enums, is_deleted, updated_at)
                SELECT CAST(:entity AS text), field_id, name, type, code, sort, is_api_only, enums, false, now() FROM incoming
                ON CONFLICT (entity_type, field_id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
                    code = EXCLUDED.code, sort = EXCLUDED.sort, is_api_only = EXCLUDED.is_api_only,
                    enums = EXCLUDED.enums, is_deleted = false, updated_at = now()
                WHERE (f.name, f.type, f.code, f.sort, f.is_api_only, f.enums, f.is_deleted)
                      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.type, EXCLUDED.code, EXCLUDED.sort,
                                        EXCLUDED.is_api_only, EXCLUDED.enums, false)
                RETURNING 1
            ), gone AS (
                UPDATE amocrm_custom_fields SET is_deleted = true, updated_at = now()
                WHERE entity_type = CAST(:entity AS text) AND NOT is_deleted
                  AND field_id NOT IN (SELECT field_id FROM incoming)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM gone)
            """;

    // Records of the view's table written since the catalog was last read that carry a value of a field the catalog
    // does not know (yet). %1$s: table, %2$s: the custom_fields_values expression, both constants of FieldsView.Source.
    private static final String UNKNOWN_FIELD = """
            SELECT EXISTS (
                SELECT 1 FROM %1$s d
                CROSS JOIN LATERAL jsonb_array_elements(CASE
                    WHEN jsonb_typeof(d.%2$s) = 'array'
                    THEN d.%2$s ELSE CAST('[]' AS jsonb) END) AS v
                WHERE d.synced_at > to_timestamp(:since)
                  AND NOT EXISTS (SELECT 1 FROM amocrm_custom_fields c
                                  WHERE c.entity_type = CAST(:entity AS text) AND NOT c.is_deleted
                                    AND CAST(c.field_id AS text) = v ->> 'field_id'))
            """;

    private final ObjectMapper json;

    CustomFieldStore(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Makes an entity's catalog equal to this complete list of fields; returns how many rows changed. An empty list
     * flags every field of the entity as gone (an account may have no custom fields).
     */
    public Uni<Long> replace(String entity, List<FieldRow> fields) {
        List<Map<String, Object>> rows = fields.stream().map(f -> {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("field_id", f.id());
            row.put("name", f.name());
            row.put("type", f.type());
            row.put("code", f.code());
            row.put("sort", f.sort());
            row.put("is_api_only", f.apiOnly());
            row.put("enums", f.enums());
            return row;
        }).toList();
        return Panache.getSession().chain(session -> session.<Number> createNativeQuery(REPLACE)
                .setParameter("rows", JsonParameter.of(json, rows)).setParameter("entity", entity).getSingleResult())
                .map(Number::longValue);
    }

    /** Whether a record of this entity written after {@code since} (epoch seconds) names a field id its catalog lacks. */
    public Uni<Boolean> namesUnknownField(FieldsView.Source source, long since) {
        String sql = UNKNOWN_FIELD.formatted(source.table(), source.values());
        return Panache.getSession().chain(session -> session.<Boolean> createNativeQuery(sql)
                .setParameter("since", since).setParameter("entity", source.entity()).getSingleResult());
    }
}
