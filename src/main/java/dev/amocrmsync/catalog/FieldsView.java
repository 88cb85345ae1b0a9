package dev.amocrmsync.catalog;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.mirror.Entity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The custom-fields views, one per mirrored entity ({@code amocrm_deals_fields}, {@code amocrm_contacts_fields},
 * {@code amocrm_companies_fields}): the entity's id, {@code is_deleted} and one typed column per custom field, read by
 * field id from the raw {@code custom_fields_values} its table keeps. A value that does not fit its column's type reads
 * as NULL rather than failing the query; the raw value stays in the table.
 */
@ApplicationScoped
public class FieldsView {

    /** How a field's values become a column. */
    public enum Kind {
        NUMERIC,
        BOOLEAN,
        TIMESTAMP,
        TEXT,
        TEXT_ARRAY,
        JSONB
    }

    /** One column: a safe name (lower-case latin, digits, underscores), the field it shows and how. */
    public record Column(String name, long fieldId, Kind kind) {

        public Column {
            if (!SAFE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a safe column name: " + name);
            }
        }
    }

    /**
     * Where a view reads: the entity as the API names it ({@code leads}), the view, the mirrored table, its id column
     * and the expression (on the table's row) holding {@code custom_fields_values} as amoCRM sent them.
     */
    public record Source(String entity, String view, String table, String idColumn, String values) {

        /**
         * The view of an entity that keeps custom fields ({@link Entity#customFields()}), named after its table:
         * {@code amocrm_deals} gets {@code amocrm_deals_fields}; empty for one without.
         */
        public static Optional<Source> of(Entity<?> entity) {
            return entity.customFields().map(values -> new Source(entity.list().orElseThrow().path(),
                    entity.table().name() + "_fields", entity.table().name(), entity.table().idColumn(), values));
        }

        /** The view's own columns, which no field column may shadow. */
        public List<String> ownColumns() {
            return List.of(idColumn, "is_deleted");
        }
    }

    private static final java.util.regex.Pattern SAFE_NAME = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String EXISTS = "SELECT to_regclass(:name) IS NOT NULL";

    /**
     * The view's definition. Dates: amoCRM sends the account's wall clock written as unix seconds as if it were UTC;
     * reading those seconds as UTC wall time and placing it in the account's zone gives the instant the user meant.
     * The deals' definition is, character for character, the one {@code amocrm_deals_fields} had before contacts and
     * companies came: its hash in {@code amocrm_catalogs} stays valid and the view is not rebuilt by an upgrade.
     */
    public static String definition(Source source, List<Column> columns, String timeZone) {
        if (!timeZone.matches("[A-Za-z0-9_/+-]+")) {
            throw new IllegalArgumentException("not a time zone name: " + timeZone);
        }
        String select = columns.stream().map(c -> expression(c, timeZone) + " AS \"" + c.name() + "\"")
                .collect(Collectors.joining(",\n       "));
        String values = "d." + source.values();
        return "CREATE VIEW " + source.view() + " AS\nSELECT d." + source.idColumn() + ", d.is_deleted"
                + (columns.isEmpty() ? "" : ",\n       " + select) + "\nFROM " + source.table() + " d" + """

                        LEFT JOIN LATERAL (
                            SELECT jsonb_object_agg(f ->> 'field_id', f -> 'values') AS v
                            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(%1$s) = 'array'
                                                           THEN %1$s END) AS f
                            WHERE jsonb_typeof(f) = 'object' AND f ->> 'field_id' IS NOT NULL
                        ) AS cf ON true""".formatted(values);
    }

    private static String expression(Column column, String timeZone) {
        String values = "(cf.v -> '" + column.fieldId() + "')";
        String first = "(" + values + " -> 0 ->> 'value')";
        String number = "replace(btrim(" + first + "), ',', '.')";
        return switch (column.kind()) {
            case TEXT -> first;
            case NUMERIC ->
                "CASE WHEN " + number + " ~ '^[-+]{0,1}[0-9]+(\\.[0-9]*){0,1}([eE][-+]{0,1}[0-9]+){0,1}$' THEN CAST("
                        + number + " AS numeric) END";
            case BOOLEAN -> "CASE lower(" + first + ") WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false"
                    + " WHEN '0' THEN false END";
            case TIMESTAMP -> "CASE WHEN btrim(" + first + ") ~ '^-{0,1}[0-9]{1,11}$' THEN (to_timestamp(CAST(btrim(" + first
                    + ") AS bigint)) AT TIME ZONE 'UTC') AT TIME ZONE '" + timeZone + "' END";
            case TEXT_ARRAY -> "CASE WHEN jsonb_typeof(" + values + ") = 'array' THEN ARRAY(SELECT e ->> 'value' FROM"
                    + " jsonb_array_elements(" + values + ") AS e) END";
            case JSONB -> values;
        };
    }

    public Uni<Boolean> exists(Source source) {
        return Panache.getSession().chain(session -> session.<Boolean> createNativeQuery(EXISTS)
                .setParameter("name", source.view()).getSingleResult());
    }

    /** Replaces the view with this definition; callers provide the transaction, so readers never see it missing. */
    public Uni<Void> rebuild(Source source, String definition) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("DROP VIEW IF EXISTS " + source.view()).executeUpdate()
                        .chain(() -> session.createNativeQuery(definition).executeUpdate()))
                .replaceWithVoid();
    }
}
